/**
 * Which due rows a ticket has, kept in step with its state inside the transaction that changes it
 * (tickets/change.ts): a timeout for an on-hold or no-show ticket, reminders and an alert for a
 * waiting appointment. Leaving the state drops the rows, so a stale job never fires.
 */
import { TicketState, isWaiting, type TicketStateCode } from '../../contract/ticket-states.js';
import { newSortableId } from '../../platform/ids.js';
import type { NewMessage, NewScheduledJob, ScheduledJobKind, Ticket } from '../db/schema.js';
import type { QueueDb } from '../db/types.js';
import { deleteJobsOfTicket, upsertJobs } from '../db/queries/scheduled-jobs.js';
import type { QueueSettings } from '../entities/queue-settings.js';
import { hasFallbackConsent } from '../fallback/fallback.js';
import { appointmentAlertDueAt, timeoutDueAt, upcomingReminders } from './due-times.js';

const APPOINTMENT_KINDS: ScheduledJobKind[] = ['appointment_alert', 'reminder'];

function job(ticket: Ticket, kind: ScheduledJobKind, dueAt: number, now: number, ruleId = 0): NewScheduledJob {
  return {
    id: newSortableId('job', now),
    company_id: ticket.company_id,
    ticket_id: ticket.id,
    kind,
    rule_id: ruleId,
    due_at: dueAt,
    lease_owner: null,
    attempts: 0,
    created_at: now,
  };
}

/** The jobs a waiting appointment has: its alert (while it was not alerted) and its reminders. */
function appointmentJobs(ticket: Ticket, settings: QueueSettings, timeZone: string, now: number): NewScheduledJob[] {
  if (ticket.is_appointment !== 1 || ticket.booked_for === null || !isWaiting(ticket.state)) return [];
  const jobs = upcomingReminders(settings.reminders, ticket.booked_for, timeZone, now).map((reminder) =>
    job(ticket, 'reminder', reminder.dueAt, now, reminder.ruleId),
  );
  if (ticket.state === TicketState.BOOKED)
    jobs.push(job(ticket, 'appointment_alert', appointmentAlertDueAt(ticket.booked_for, settings.appointmentAlertMinutes, now), now));
  return jobs;
}

/** A new or moved appointment: its old rows go, the rows of its (new) time come. */
export async function scheduleAppointment(
  db: QueueDb,
  ticket: Ticket,
  settings: QueueSettings,
  timeZone: string,
  now: number,
  moved: boolean,
): Promise<void> {
  if (moved) await deleteJobsOfTicket(db, ticket.id, APPOINTMENT_KINDS);
  await upsertJobs(db, appointmentJobs(ticket, settings, timeZone, now));
}

/** After a state change from `from` to `ticket.state`: the rows the new state needs, without those the old one had. */
export async function syncJobsAfterChange(
  db: QueueDb,
  ticket: Ticket,
  from: TicketStateCode,
  settings: QueueSettings,
  now: number,
): Promise<void> {
  const to = ticket.state;
  const drop: ScheduledJobKind[] = [];
  if (from === TicketState.ON_HOLD) drop.push('onhold_timeout');
  if (from === TicketState.NO_SHOW) drop.push('noshow_timeout');
  // An appointment that was called (or canceled) needs no more reminders; one alerted otherwise, no alert.
  if (ticket.is_appointment === 1 && isWaiting(from) && !isWaiting(to)) drop.push(...APPOINTMENT_KINDS);
  else if (ticket.is_appointment === 1 && from === TicketState.BOOKED && to !== from) drop.push('appointment_alert');
  if (drop.length > 0) await deleteJobsOfTicket(db, ticket.id, drop);
  if (to === TicketState.ON_HOLD)
    await upsertJobs(db, [job(ticket, 'onhold_timeout', timeoutDueAt(now, settings.onHoldTimeoutMinutes), now)]);
  if (to === TicketState.NO_SHOW)
    await upsertJobs(db, [job(ticket, 'noshow_timeout', timeoutDueAt(now, settings.noShowTimeoutMinutes), now)]);
}

/**
 * A change whose push is urgent for a person who agreed to a fallback on one of the queue's channels: check for a "pushed"
 * receipt after the queue's wait (docs/design.md §Fallback). One row per ticket: a newer urgent
 * change (a recall) moves it, and the check judges the newest urgent push.
 */
export async function scheduleFallbackCheck(
  db: QueueDb,
  ticket: Ticket,
  messages: readonly Pick<NewMessage, 'channel' | 'action'>[],
  settings: QueueSettings,
  now: number,
): Promise<void> {
  if (!hasFallbackConsent(ticket, settings)) return;
  if (!messages.some((m) => m.channel === 'webhook' && settings.urgentActions.includes(m.action))) return;
  await upsertJobs(db, [job(ticket, 'push_fallback', now + settings.fallbackWaitSeconds * 1000, now)]);
}
