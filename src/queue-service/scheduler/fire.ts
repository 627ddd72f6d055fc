/**
 * What a due job does (docs/design.md §States and transitions), each a change applied by the unit
 * of work inside the transaction that also removes the job (docs/design.md §Unit of work, the
 * in-transaction form): the change and the job's end commit together, so a job fires once; the
 * sweep wakes the dispatcher after commit.
 * - onhold_timeout: on hold → no show; noshow_timeout: no show → canceled;
 * - appointment_alert: a booked appointment → alerted (or to confirm where the queue asks);
 * - reminder: TICKET_REMIND_<rule id> while the appointment is still waiting;
 * - push_fallback: the fallback check of an urgent push (docs/design.md §Fallback), no change.
 * A job whose ticket has moved on does nothing (the change that moved it should have dropped it).
 */
import { TicketState, isWaiting, type TicketStateCode } from '../../contract/ticket-states.js';
import type { ScheduledJob, Ticket } from '../db/schema.js';
import type { QueueDb } from '../db/types.js';
import { findTicket } from '../db/queries/tickets.js';
import { loadTicketContext, type TicketContext } from '../entities/ticket-context.js';
import { fallBackAfterWait } from '../fallback/fallback.js';
import { applyTicketChange } from '../tickets/unit-of-work.js';

export type FireOutcome = 'fired' | 'skipped';

/**
 * The queue and counter context of tickets, read once per sweep: a sweep of thousands of timeouts
 * of one queue would otherwise read the same queue, place and counter names for each of them.
 */
export class SweepContexts {
  private readonly contexts = new Map<string, Promise<TicketContext>>();

  of(db: QueueDb, ticket: Ticket): Promise<TicketContext> {
    const key = `${ticket.queue_id}|${ticket.endpoint_id ?? ''}`;
    let context = this.contexts.get(key);
    if (!context) {
      context = loadTicketContext(db, ticket);
      // A failed read is not kept: the next job of the queue reads again.
      context.catch(() => this.contexts.delete(key));
      this.contexts.set(key, context);
    }
    return context;
  }
}

export async function fireJob(db: QueueDb, job: ScheduledJob, now: number, contexts = new SweepContexts()): Promise<FireOutcome> {
  const ticket = await findTicket(db, job.ticket_id);
  if (!ticket) return 'skipped';
  const context = await contexts.of(db, ticket);
  switch (job.kind) {
    case 'onhold_timeout':
      return move(db, ticket, TicketState.ON_HOLD, TicketState.NO_SHOW, 'system:onhold-timeout', now, context);
    case 'noshow_timeout':
      return move(db, ticket, TicketState.NO_SHOW, TicketState.CANCELED, 'system:noshow-timeout', now, context);
    case 'appointment_alert': {
      const to = context.settings.confirmRequired ? TicketState.TO_CONFIRM : TicketState.ALERTED;
      return move(db, ticket, TicketState.BOOKED, to, 'system:appointment-alert', now, context);
    }
    case 'push_fallback':
      // Not a change of the ticket: the decision and its SMS commit with the job's removal.
      return (await fallBackAfterWait(db, ticket, context.settings, now)) ? 'fired' : 'skipped';
    case 'reminder':
      if (!isWaiting(ticket.state) || ticket.is_appointment !== 1) return 'skipped';
      await applyTicketChange(db, { kind: 'remind', ticket, ruleId: job.rule_id, actor: 'system:reminder', now, context });
      return 'fired';
  }
}

async function move(
  db: QueueDb,
  ticket: Ticket,
  from: TicketStateCode,
  to: TicketStateCode,
  actor: string,
  now: number,
  context: TicketContext,
): Promise<FireOutcome> {
  if (ticket.state !== from) return 'skipped';
  await applyTicketChange(db, { kind: 'state', ticket, to, actor, now, known: { context } });
  return 'fired';
}
