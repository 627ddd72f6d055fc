/**
 * The one way a ticket changes (docs/design.md §Unit of work). Booking, a counter's call, recall
 * or move, a person's confirm, cancel, postponement, subscription or rating, the automatic alerts,
 * timeouts and appointment alerts, and reminders are all a `TicketChange` applied here; no other
 * module writes tickets, their waiting counters, history events, outbox rows or due jobs
 * (test/queue-service/tickets/one-way-to-change.test.ts holds that).
 *
 * Each change is applied in the same order of steps:
 *   1. the ticket row — inserted, or updated guarded by the version read: a lost race is a
 *      CONFLICT before anything else was written, and every change locks its ticket's row before
 *      the queue's counter row, so two changes do not deadlock over them;
 *   2. the queue's waiting counters, when the ticket joins or leaves the waiting states;
 *   3. the history event, which is also the live streams' feed, with the ticket as it is now shown;
 *   4. the outbox rows of the change's action, one per destination (notifications/outbox.ts);
 *   5. the ticket's due jobs: timeouts, reminders, appointment alert (due-jobs/ticket-jobs.ts);
 *   6. the service-time statistics, when a service ends (tickets/service-time.ts);
 *   7. follow-ups: the changes this one sets off — the alerts of FIFO tickets now near the head,
 *      or of a ticket booked near it (tickets/alerts.ts) — returned as data and applied by the same
 *      loop, in the same transaction.
 *
 * Erasing personal data (retention, a person's request) is not a change of state — no event, no
 * message — but it writes tickets all the same, so it enters here too: `eraseTicketData`, inside
 * the caller's transaction (privacy/erase.ts), moves each ticket's version on like any change.
 *
 * Two forms: `runTicketUnit` opens the transaction, retries it on a version conflict and wakes the
 * dispatcher and the live streams after commit; `applyTicketChange` runs inside a transaction the
 * caller holds (the scheduler's sweep), whose owner wakes them after its commit.
 */
import { AppError } from '../../contract/errors.js';
import type { TicketPosition, TicketView } from '../../contract/message.js';
import { alertTextKey } from '../../contract/message-templates.js';
import {
  ACTION_FOR_STATE,
  TicketState,
  isWaiting,
  reminderAction,
  type TicketAction,
  type TicketStateCode,
} from '../../contract/ticket-states.js';
import type { QueueServiceDeps } from '../deps.js';
import type { NewMessage, NewTicket, Ticket, TicketUpdate } from '../db/schema.js';
import type { QueueDb } from '../db/types.js';
import { adjustWaitingCounters, type WaitingCounts } from '../db/queries/queue-counters.js';
import { insertTicketEventForFeed } from '../db/queries/ticket-event-feed.js';
import { eraseTicketsPersonalData, insertTicket, rateTicketOnce, updateTicketIfVersion } from '../db/queries/tickets.js';
import { loadTicketContext, type TicketContext } from '../entities/ticket-context.js';
import { writeTicketMessages, type Channels } from '../notifications/outbox.js';
import { scheduleAppointment, scheduleFallbackCheck, syncJobsAfterChange } from '../due-jobs/ticket-jobs.js';
import { alertAtBooking, alertsNearTheHead, type AlertAgain } from './alerts.js';
import { stateUpdate, type KnownFacts, type StateChange } from './change.js';
import { positionOfNewest } from './position.js';
import { presentTicket } from './present.js';
import { retryOnConflict } from './retry.js';
import { recordServiceTime } from './service-time.js';

export type { StateChange } from './change.js';
export type { AlertAgain } from './alerts.js';

/** A new ticket, counted in its queue's waiting line, with TICKET_BOOKED. */
export interface Booking {
  kind: 'book';
  ticket: NewTicket;
  actor: string;
  now: number;
  /** The booking read its queue and place already. */
  context: TicketContext;
}

/**
 * A reminder (`TICKET_REMIND_<id>`, docs/design.md §States and transitions): a message without a
 * state change. It still takes the next version of the ticket, so the dispatcher orders it after
 * the ticket's earlier messages.
 */
export interface Reminder {
  kind: 'remind';
  ticket: Ticket;
  ruleId: number;
  actor: string;
  now: number;
  context?: TicketContext;
}

/**
 * A waiting appointment moved to another slot (taken already). It is booked again, for a new time:
 * TICKET_BOOKED with the postponement's own text (docs/design.md §The message).
 */
export interface Postponement {
  kind: 'postpone';
  ticket: Ticket;
  bookedFor: number;
  actor: string;
  now: number;
  context?: TicketContext;
}

/**
 * New channels and contact details. No history event; the channels it adds get the ticket's
 * current state at once (docs/design.md §The message), under the next version, so it is ordered
 * after the ticket's earlier messages. Without a new channel the version is kept.
 */
export interface Subscription {
  kind: 'subscribe';
  ticket: Ticket;
  changes: Pick<
    TicketUpdate,
    'push_id' | 'send_push' | 'send_sms' | 'send_mail' | 'sms_fallback' | 'email_fallback' | 'name' | 'phone' | 'mail' | 'lang'
  >;
  now: number;
}

/** A rating of a finished visit, once. No event. */
export interface Rating {
  kind: 'rate';
  ticket: Ticket;
  rating: number;
  comment: string | null;
  now: number;
}

export type TicketChange = Booking | StateChange | AlertAgain | Reminder | Postponement | Subscription | Rating;

/** The changes that are recorded (history event, presented view); the others only write the row. */
type RecordedChange = Booking | StateChange | AlertAgain | Reminder | Postponement;

export interface AppliedChange<C extends TicketChange = TicketChange> {
  /** The row as written. */
  ticket: Ticket;
  /** The ticket as its history event and messages showed it. */
  view: C extends RecordedChange ? TicketView : null;
  /** History events written, follow-ups included: each is a reason to wake the streams and the dispatcher. */
  events: number;
}

/** What one change writes, worked out before any step runs. */
interface Plan {
  /** The row after the change. */
  ticket: Ticket;
  /** Step 1; false when the row was not ours to write any more. */
  writeRow: (db: QueueDb) => Promise<boolean>;
  lostRace: () => AppError;
  /** Step 2: added to the waiting counters of the ticket's queue. */
  waiting: WaitingCounts | null;
  /** Step 3: the history event (null: none). */
  record: { from: TicketStateCode | null; actor: string } | null;
  /** Step 4: the messages that go out (null: none), and the text key when finer than the action. */
  message: { action: TicketAction; textKey?: string; channels?: Channels } | null;
  /** What the caller knew, for the view of steps 3 and 4. */
  known: KnownFacts;
  /** Step 5. */
  jobs: { kind: 'new-appointment' } | { kind: 'moved-appointment' } | { kind: 'state'; from: TicketStateCode } | null;
  /** Step 6: the ticket as it was served. */
  serviceEnded: Ticket | null;
  /** Step 7: a FIFO ticket that left the waiting line (those behind it may be near the head now), or one just booked. */
  followUp: { kind: 'left-line'; ticket: Ticket } | { kind: 'booked-fifo' } | null;
}

/** The message of a state change: its action, with an automatic alert's own text. */
function stateMessage(ticket: Ticket, to: TicketStateCode): Plan['message'] {
  const action = ACTION_FOR_STATE[to];
  if (!action) return null;
  return action === 'TICKET_ALERTED' && ticket.alert_ahead != null ? { action, textKey: alertTextKey(ticket.alert_ahead) } : { action };
}

/** The channels a subscription adds: turned on, or pointed at a new pushId, phone or mailbox. */
function addedChannels(before: Ticket, after: Ticket): Channels | null {
  const added = (on: keyof Ticket, address: keyof Ticket) =>
    after[on] === 1 && after[address] !== null && (before[on] !== 1 || before[address] !== after[address]);
  const channels = { push: added('send_push', 'push_id'), sms: added('send_sms', 'phone'), mail: added('send_mail', 'mail') };
  return channels.push || channels.sms || channels.mail ? channels : null;
}

function conflict(ticket: Pick<Ticket, 'label'>): () => AppError {
  return () => new AppError('CONFLICT', `Ticket ${ticket.label} was changed by someone else meanwhile; reload it and try again.`);
}

function plan(change: TicketChange): Plan {
  switch (change.kind) {
    case 'book': {
      const ticket = change.ticket as Ticket;
      return {
        ticket,
        writeRow: async (db) => {
          await insertTicket(db, change.ticket);
          return true;
        },
        lostRace: conflict(ticket),
        waiting: { tickets: 1, people: ticket.group_size },
        record: { from: null, actor: change.actor },
        message: { action: 'TICKET_BOOKED' },
        known: { context: change.context },
        jobs: ticket.is_appointment === 1 ? { kind: 'new-appointment' } : null,
        serviceEnded: null,
        followUp: ticket.is_appointment === 1 ? null : { kind: 'booked-fifo' },
      };
    }
    case 'state': {
      const before = change.ticket;
      const from = before.state;
      const update = stateUpdate(change);
      const leaves = isWaiting(from) && !isWaiting(change.to);
      const ticket = { ...before, ...update } as Ticket;
      return {
        ticket,
        writeRow: (db) => updateTicketIfVersion(db, before.id, before.version, update),
        lostRace: conflict(before),
        waiting: leaves ? { tickets: -1, people: -before.group_size } : null,
        record: { from, actor: change.actor },
        message: stateMessage(ticket, change.to),
        known: change.known ?? {},
        jobs: { kind: 'state', from },
        serviceEnded: from === TicketState.IN_PROGRESS && change.to === TicketState.DONE ? before : null,
        // Appointments are called by their time, not by who is ahead: only a FIFO ticket leaving moves the line.
        followUp: leaves && before.is_appointment === 0 ? { kind: 'left-line', ticket: before } : null,
      };
    }
    case 'alert-again': {
      const before = change.ticket;
      const update = { alert_ahead: change.ahead, version: before.version + 1, updated_at: change.now };
      return {
        ticket: { ...before, ...update },
        writeRow: (db) => updateTicketIfVersion(db, before.id, before.version, update),
        lostRace: conflict(before),
        waiting: null,
        record: { from: before.state, actor: change.actor },
        message: { action: 'TICKET_ALERTED', textKey: alertTextKey(change.ahead) },
        known: change.known ?? {},
        jobs: null,
        serviceEnded: null,
        followUp: null,
      };
    }
    case 'remind': {
      const before = change.ticket;
      const update = { version: before.version + 1 };
      return {
        ticket: { ...before, ...update },
        writeRow: (db) => updateTicketIfVersion(db, before.id, before.version, update),
        lostRace: conflict(before),
        waiting: null,
        record: { from: before.state, actor: change.actor },
        message: { action: reminderAction(change.ruleId) },
        known: { context: change.context },
        jobs: null,
        serviceEnded: null,
        followUp: null,
      };
    }
    case 'postpone': {
      const before = change.ticket;
      const update = { booked_for: change.bookedFor, version: before.version + 1, updated_at: change.now };
      return {
        ticket: { ...before, ...update },
        writeRow: (db) => updateTicketIfVersion(db, before.id, before.version, update),
        lostRace: conflict(before),
        waiting: null,
        record: { from: before.state, actor: change.actor },
        // Booked again for a new time; the text says which (docs/design.md §The message).
        message: { action: 'TICKET_BOOKED', textKey: 'TICKET_POSTPONED' },
        known: { context: change.context },
        jobs: { kind: 'moved-appointment' },
        serviceEnded: null,
        followUp: null,
      };
    }
    case 'subscribe': {
      const before = change.ticket;
      const channels = addedChannels(before, { ...before, ...change.changes } as Ticket);
      const current = channels ? stateMessage(before, before.state) : null;
      const update = { ...change.changes, updated_at: change.now, ...(current ? { version: before.version + 1 } : {}) };
      return {
        ticket: { ...before, ...update },
        writeRow: (db) => updateTicketIfVersion(db, before.id, before.version, update),
        lostRace: () => new AppError('CONFLICT', 'The ticket changed meanwhile; try again.'),
        waiting: null,
        record: null,
        message: current && channels ? { ...current, channels } : null,
        known: {},
        jobs: null,
        serviceEnded: null,
        followUp: null,
      };
    }
    case 'rate': {
      const before = change.ticket;
      return {
        ticket: { ...before, rating: change.rating, rating_comment: change.comment },
        // Guarded by version and by "not rated yet": two taps cannot both rate.
        writeRow: (db) => rateTicketOnce(db, before.id, before.version, change.rating, change.comment),
        lostRace: () => new AppError('ALREADY_RATED'),
        waiting: null,
        record: null,
        message: null,
        known: {},
        jobs: null,
        serviceEnded: null,
        followUp: null,
      };
    }
  }
}

/** The steps of one change, in the order of docs/design.md §Unit of work; returns its follow-ups. */
async function applyOne(
  db: QueueDb,
  change: TicketChange,
): Promise<{ ticket: Ticket; view: TicketView | null; recorded: boolean; followUps: TicketChange[] }> {
  const { now } = change;
  const steps = plan(change);
  const { ticket } = steps;
  // 1. Ticket row.
  if (!(await steps.writeRow(db))) throw steps.lostRace();
  // 2. Waiting counters.
  const counts = steps.waiting
    ? await adjustWaitingCounters(db, ticket.queue_id, ticket.is_appointment === 1, steps.waiting.tickets, steps.waiting.people)
    : null;
  let view: TicketView | null = null;
  let context: TicketContext | undefined;
  let position: TicketPosition | null | undefined;
  let messages: NewMessage[] = [];
  if (steps.record || steps.message) {
    const { known } = steps;
    // 3. History event; its id is the live streams' SSE event id (streams/feed.ts).
    if (steps.record) {
      await insertTicketEventForFeed(
        db,
        {
          ticket_id: ticket.id,
          company_id: ticket.company_id,
          place_id: ticket.place_id,
          queue_id: ticket.queue_id,
          version: ticket.version,
          from_state: steps.record.from,
          to_state: ticket.state,
          action: steps.message?.action ?? null,
          actor: steps.record.actor,
          endpoint_id: ticket.endpoint_id,
          at: now,
        },
        ticket.user_id,
      );
    }
    context = known.context ?? (await loadTicketContext(db, ticket));
    // A FIFO ticket just booked is behind everyone counted before it: the counters give its position.
    position =
      known.position !== undefined
        ? known.position
        : change.kind === 'book' && ticket.is_appointment === 0
          ? await positionOfNewest(db, ticket, counts!)
          : undefined;
    view = await presentTicket(db, ticket, context, now, position);
    // 4. Outbox rows.
    if (steps.message) messages = await writeTicketMessages(db, { ticket, view, ...steps.message, context, now });
  }
  // 5. Due jobs, the fallback check of an urgent push included.
  if (messages.length > 0) await scheduleFallbackCheck(db, ticket, messages, context!.settings, now);
  if (steps.jobs) {
    context ??= await loadTicketContext(db, ticket);
    if (steps.jobs.kind === 'state') await syncJobsAfterChange(db, ticket, steps.jobs.from, context.settings, now);
    else await scheduleAppointment(db, ticket, context.settings, context.timeZone, now, steps.jobs.kind === 'moved-appointment');
  }
  // 6. Service-time statistics.
  if (steps.serviceEnded) await recordServiceTime(db, steps.serviceEnded, now);
  // 7. Follow-ups.
  const followUps = await followUpsOf(db, steps.followUp, ticket, position, context, now);
  return { ticket, view, recorded: steps.record !== null || steps.message !== null, followUps };
}

async function followUpsOf(
  db: QueueDb,
  followUp: Plan['followUp'],
  ticket: Ticket,
  position: TicketPosition | null | undefined,
  context: TicketContext | undefined,
  now: number,
): Promise<TicketChange[]> {
  if (followUp?.kind === 'left-line') return alertsNearTheHead(db, followUp.ticket, now, context);
  if (followUp?.kind === 'booked-fifo' && position && context) return alertAtBooking(ticket, position, context, now);
  return [];
}

/**
 * Applies a change and every follow-up it sets off, inside the transaction `db` belongs to. The
 * caller owns the transaction: on an error nothing of it may commit, and after the commit it wakes
 * the dispatcher and the streams when `events` > 0 (runTicketUnit does both).
 */
export async function applyTicketChange<C extends TicketChange>(db: QueueDb, change: C): Promise<AppliedChange<C>> {
  const first = await applyOne(db, change);
  let events = first.recorded ? 1 : 0;
  const pending = [...first.followUps];
  while (pending.length > 0) {
    const applied = await applyOne(db, pending.shift()!);
    if (applied.recorded) events += 1;
    pending.push(...applied.followUps);
  }
  return { ticket: first.ticket, view: first.view as AppliedChange<C>['view'], events };
}

export type ApplyChange = <C extends TicketChange>(change: C) => Promise<AppliedChange<C>>;

/**
 * A request's changes in one transaction: `work` reads what it needs and applies its changes with
 * `apply`. A version conflict runs `work` again from the start (tickets/retry.ts); after the commit
 * the in-process dispatcher and live streams are woken if anything was recorded.
 */
export async function runTicketUnit<T>(
  deps: Pick<QueueServiceDeps, 'database' | 'outboxSignal'>,
  work: (db: QueueDb, apply: ApplyChange) => Promise<T>,
): Promise<T> {
  let events = 0;
  const result = await retryOnConflict(() => {
    events = 0;
    return deps.database.transaction((trx) =>
      work(trx, async (change) => {
        const applied = await applyTicketChange(trx, change);
        events += applied.events;
        return applied;
      }),
    );
  });
  if (events > 0) deps.outboxSignal.notify();
  return result;
}

/**
 * The erase step (docs/design.md §Retention): name, phone, e-mail, pushId and rating comment of
 * these tickets of one company become null and their notifications stop, inside the transaction
 * `db` belongs to. The version moves on, so a change that read a ticket before the erasure gets a
 * CONFLICT and runs again on the erased ticket rather than writing the old values into a message.
 * States, times and labels stay: the statistics are made of them. Returns the tickets erased now.
 */
export function eraseTicketData(db: QueueDb, companyId: string, ticketIds: string[], now: number): Promise<number> {
  return eraseTicketsPersonalData(db, companyId, ticketIds, now);
}
