/**
 * Deliver-by deadlines (docs/design.md §Delivery): past it a message is expired, never sent late. A "your turn"
 * that arrives after the person was skipped is worse than none. Here in the contract because the
 * admin page shows the defaults.
 */
import { reminderRuleId } from './ticket-states.js';

const MINUTE = 60;
const HOUR = 60 * MINUTE;

export const DEFAULT_DELIVER_BY_SECONDS: Record<string, number> = {
  TICKET_CALLED: 5 * MINUTE, // the person must walk to the counter now
  TICKET_INPROGRESS: 5 * MINUTE,
  TICKET_ALERTED: 15 * MINUTE, // roughly the time until the call
  TICKET_ONHOLD: 15 * MINUTE, // the usual on-hold timeout
  TICKET_BOOKED: HOUR,
  TICKET_NOSHOW: HOUR,
  TICKET_CANCELED: HOUR,
  TICKET_DONE: HOUR,
};

/** Epoch ms after which the message is not worth delivering. */
export function deliverBy(action: string, createdAt: number, overrides: Record<string, number>, appointmentAt: number | null): number {
  const override = overrides[action];
  if (override !== undefined) return createdAt + override * 1000;
  if (reminderRuleId(action) !== null) return appointmentAt !== null && appointmentAt > createdAt ? appointmentAt : createdAt + HOUR * 1000;
  return createdAt + (DEFAULT_DELIVER_BY_SECONDS[action] ?? HOUR) * 1000;
}
