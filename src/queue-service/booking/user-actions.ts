/**
 * What a person does with a ticket beyond cancelling it: confirm they are coming
 * (`/confirm`), move an appointment to another free slot (`/report`), say "I'm here" (`/checkIn`)
 * or "running late" (`/runningLate`), rate a finished visit (`/rate`).
 */
import { Type, type Static } from 'typebox';
import { AppError } from '../../contract/errors.js';
import type { TicketView } from '../../contract/message.js';
import { TicketState, isWaiting } from '../../contract/ticket-states.js';
import type { QueueServiceDeps } from '../deps.js';
import { takeSlot } from '../appointments/availability.js';
import { loadTicketContext } from '../entities/ticket-context.js';
import { runTicketUnit } from '../tickets/unit-of-work.js';
import { presentStoredTicket, userTicket } from './user-tickets.js';

export const ReportInput = Type.Object(
  {
    reportFor: Type.String({ format: 'date-time', description: 'The start of a free slot (see /availabilities).' }),
  },
  { additionalProperties: false },
);
export type ReportInput = Static<typeof ReportInput>;

export const RateInput = Type.Object(
  {
    rating: Type.Integer({ minimum: 1, maximum: 5 }),
    comment: Type.Optional(Type.Union([Type.String({ maxLength: 1000 }), Type.Null()])),
  },
  { additionalProperties: false },
);
export type RateInput = Static<typeof RateInput>;

/**
 * A person waiting for confirmation (50) says they are coming: the ticket is alerted (100, with
 * TICKET_ALERTED). Confirming an alerted ticket again changes nothing, so a double tap is harmless.
 */
export async function confirmUserTicket(deps: QueueServiceDeps, userId: string, ticketId: string): Promise<TicketView> {
  const now = deps.clock.now();
  return runTicketUnit(deps, async (trx, apply) => {
    const ticket = await userTicket(trx, userId, ticketId);
    if (ticket.state === TicketState.ALERTED) return presentStoredTicket(trx, ticket, now);
    if (ticket.state !== TicketState.TO_CONFIRM) {
      throw new AppError('INVALID_TRANSITION', 'Only a ticket waiting for confirmation (50) can be confirmed.', {
        from: ticket.state,
        to: TicketState.ALERTED,
      });
    }
    return (await apply({ kind: 'state', ticket, to: TicketState.ALERTED, actor: `user:${userId}`, now })).view;
  });
}

/** Moves a waiting appointment to another free slot of its type; its reminders and alert move with it. */
export async function reportUserTicket(deps: QueueServiceDeps, userId: string, ticketId: string, input: ReportInput): Promise<TicketView> {
  const now = deps.clock.now();
  const reportFor = Date.parse(input.reportFor);
  return runTicketUnit(deps, async (trx, apply) => {
    const ticket = await userTicket(trx, userId, ticketId);
    if (ticket.is_appointment !== 1) throw new AppError('NOT_AN_APPOINTMENT');
    if (!isWaiting(ticket.state)) {
      throw new AppError('INVALID_TRANSITION', 'Only a waiting appointment can be postponed.', { from: ticket.state });
    }
    const context = await loadTicketContext(trx, ticket);
    await takeSlot(trx, {
      queueId: ticket.queue_id,
      timeZone: context.timeZone,
      bookedFor: reportFor,
      appointmentTypeId: ticket.appointment_type_id,
      groupSize: ticket.group_size,
      now,
      exceptTicketId: ticket.id,
    });
    return (await apply({ kind: 'postpone', ticket, bookedFor: reportFor, actor: `user:${userId}`, now, context })).view;
  });
}

export const RunningLateInput = Type.Object(
  { minutes: Type.Integer({ minimum: 1, maximum: 240, description: 'About how many minutes late.' }) },
  { additionalProperties: false },
);
export type RunningLateInput = Static<typeof RunningLateInput>;

/**
 * "I'm here" (docs/design.md §Moving tickets): while the ticket waits or is called. Staff see it on
 * the desk; it changes no state. Saying it again changes nothing.
 */
export async function checkInUserTicket(deps: QueueServiceDeps, userId: string, ticketId: string): Promise<TicketView> {
  const now = deps.clock.now();
  return runTicketUnit(deps, async (trx, apply) => {
    const ticket = await userTicket(trx, userId, ticketId);
    if (!isWaiting(ticket.state) && ticket.state !== TicketState.CALLED && ticket.state !== TicketState.ON_HOLD) {
      throw new AppError('TICKET_NOT_WAITING', 'Only a waiting or called ticket can check in.', { state: ticket.state });
    }
    if (ticket.checked_in_at != null) return presentStoredTicket(trx, ticket, now);
    // Here after all: a running late said before no longer holds.
    const changes = { checked_in_at: now, late_minutes: null, late_at: null };
    return (await apply({ kind: 'mark', ticket, mark: 'check-in', changes, actor: `user:${userId}`, now })).view;
  });
}

/**
 * "Running late" by some minutes (docs/design.md §Moving tickets): nothing automatic — the ticket
 * keeps its place and state; staff see the minutes and when it was said, and may call others first
 * or transfer it to the end. Only while it waits.
 */
export async function runningLateUserTicket(
  deps: QueueServiceDeps,
  userId: string,
  ticketId: string,
  input: RunningLateInput,
): Promise<TicketView> {
  const now = deps.clock.now();
  return runTicketUnit(deps, async (trx, apply) => {
    const ticket = await userTicket(trx, userId, ticketId);
    if (!isWaiting(ticket.state))
      throw new AppError('TICKET_NOT_WAITING', 'Only a waiting ticket can be running late.', { state: ticket.state });
    const changes = { late_minutes: input.minutes, late_at: now, checked_in_at: null };
    return (
      await apply({ kind: 'mark', ticket, mark: 'running-late', changes, detail: { minutes: input.minutes }, actor: `user:${userId}`, now })
    ).view;
  });
}

export async function rateUserTicket(deps: QueueServiceDeps, userId: string, ticketId: string, input: RateInput): Promise<TicketView> {
  const now = deps.clock.now();
  return runTicketUnit(deps, async (trx, apply) => {
    const ticket = await userTicket(trx, userId, ticketId);
    if (ticket.state !== TicketState.DONE) throw new AppError('TICKET_NOT_RATEABLE');
    if (ticket.rating !== null) throw new AppError('ALREADY_RATED');
    const rated = await apply({ kind: 'rate', ticket, rating: input.rating, comment: input.comment?.trim() || null, now });
    return presentStoredTicket(trx, rated.ticket, now);
  });
}
