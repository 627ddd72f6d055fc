/**
 * The one way a ticket changes (docs/design.md §Unit of work). Booking, a counter's call, recall,
 * state change or transfer, priority and notes (docs/design.md §Moving tickets), a person's confirm,
 * cancel, postponement, check-in, running late, subscription or rating, the automatic alerts,
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
import { positionOf, positionOfNewest } from './position.js';
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

/**
 * A ticket sent to a queue of its place (the same one too), or kept there for one counter
 * (docs/design.md §Moving tickets): it waits again (booked), keeping its place in line or at the
 * end, with TICKET_BOOKED and a text that names the new queue or counter.
 */
export interface Transfer {
  kind: 'transfer';
  ticket: Ticket;
  queueId: string;
  /** The counter it is kept for; null: any counter serving the queue. */
  endpointId: string | null;
  /** Its new place in line (behind the target line's tail), or null to keep the one it has. */
  lineAt: number | null;
  actor: string;
  now: number;
}

/** What a mark changes: one fact about the ticket, no state. */
export type MarkKind = 'priority' | 'note' | 'check-in' | 'running-late';

/**
 * A fact about a ticket that changes no state (docs/design.md §Moving tickets): priority, a staff
 * note, the person's "I'm here" or "running late". A history event of its kind, no message.
 */
export interface TicketMark {
  kind: 'mark';
  ticket: Ticket;
  mark: MarkKind;
  changes: Pick<TicketUpdate, 'priority' | 'staff_note' | 'checked_in_at' | 'late_minutes' | 'late_at'>;
  /** Kept with the history event; never a note's text. */
  detail?: Record<string, unknown>;
  actor: string;
  now: number;
}

export type TicketChange = Booking | StateChange | AlertAgain | Reminder | Postponement | Transfer | TicketMark | Subscription | Rating;

/** The changes that are recorded (history event, presented view); the others only write the row. */
type RecordedChange = Booking | StateChange | AlertAgain | Reminder | Postponement | Transfer | TicketMark;

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
  /** Step 2: added to the waiting counters of a queue (a transfer leaves one line and joins another). */
  waiting: WaitingChange[];
  /** Step 3: the history event (null: none), with its kind when it is not a state change. */
  record: { from: TicketStateCode | null; actor: string; kind?: string; detail?: Record<string, unknown> } | null;
  /** Step 4: the messages that go out (null: none), and the text key when finer than the action. */
  message: { action: TicketAction; textKey?: string; channels?: Channels } | null;
  /** What the caller knew, for the view of steps 3 and 4. */
  known: KnownFacts;
  /** Step 5. */
  jobs: { kind: 'new-appointment' } | { kind: 'moved-appointment' } | { kind: 'state'; from: TicketStateCode } | null;
  /** Step 6: the ticket as it was served. */
  serviceEnded: Ticket | null;
  /**
   * Step 7: a FIFO ticket that left its place in a line (those behind it may be near the head
   * now), and one that took a place (booked, transferred, made priority) and may be near it.
   */
  followUp: Array<{ kind: 'left-line'; ticket: Ticket } | { kind: 'joined-line' }>;
}

interface WaitingChange extends WaitingCounts {
  queueId: string;
  isAppointment: boolean;
}

/** Step 1 of a change that updates the row: its fields and the next version, guarded by the version read. */
function versionedUpdate(before: Ticket, fields: TicketUpdate): Pick<Plan, 'ticket' | 'writeRow' | 'lostRace'> {
  const update = { ...fields, version: before.version + 1 };
  return {
    ticket: { ...before, ...update } as Ticket,
    writeRow: (db) => updateTicketIfVersion(db, before.id, before.version, update),
    lostRace: conflict(before),
  };
}

/** The place a ticket kept through a transfer: when it joined the line (an appointment at its time). */
function placeInLine(ticket: Ticket): number {
  return ticket.is_appointment === 1 && ticket.booked_for !== null ? ticket.booked_for : ticket.line_at;
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

const NOTHING_ELSE = { waiting: [], jobs: null, serviceEnded: null, followUp: [] } satisfies Partial<Plan>;

function plan(change: TicketChange): Plan {
  switch (change.kind) {
    case 'book': {
      const ticket = change.ticket as Ticket;
      const fifo = ticket.is_appointment === 0;
      return {
        ticket,
        writeRow: async (db) => {
          await insertTicket(db, change.ticket);
          return true;
        },
        lostRace: conflict(ticket),
        waiting: [{ queueId: ticket.queue_id, isAppointment: !fifo, tickets: 1, people: ticket.group_size }],
        record: { from: null, actor: change.actor },
        message: { action: 'TICKET_BOOKED' },
        known: { context: change.context },
        jobs: fifo ? null : { kind: 'new-appointment' },
        serviceEnded: null,
        followUp: fifo ? [{ kind: 'joined-line' }] : [],
      };
    }
    case 'state': {
      const before = change.ticket;
      const from = before.state;
      const row = versionedUpdate(before, stateUpdate(change));
      const leaves = isWaiting(from) && !isWaiting(change.to);
      return {
        ...row,
        waiting: leaves
          ? [{ queueId: before.queue_id, isAppointment: before.is_appointment === 1, tickets: -1, people: -before.group_size }]
          : [],
        record: { from, actor: change.actor },
        message: stateMessage(row.ticket, change.to),
        known: change.known ?? {},
        jobs: { kind: 'state', from },
        serviceEnded: from === TicketState.IN_PROGRESS && change.to === TicketState.DONE ? before : null,
        // Appointments are called by their time, not by who is ahead: only a FIFO ticket leaving moves the line.
        followUp: leaves && before.is_appointment === 0 ? [{ kind: 'left-line', ticket: before }] : [],
      };
    }
    case 'alert-again': {
      const before = change.ticket;
      return {
        ...versionedUpdate(before, { alert_ahead: change.ahead, updated_at: change.now }),
        ...NOTHING_ELSE,
        record: { from: before.state, actor: change.actor },
        message: { action: 'TICKET_ALERTED', textKey: alertTextKey(change.ahead) },
        known: change.known ?? {},
      };
    }
    case 'remind': {
      const before = change.ticket;
      return {
        ...versionedUpdate(before, {}),
        ...NOTHING_ELSE,
        record: { from: before.state, actor: change.actor },
        message: { action: reminderAction(change.ruleId) },
        known: { context: change.context },
      };
    }
    case 'postpone': {
      const before = change.ticket;
      return {
        ...versionedUpdate(before, { booked_for: change.bookedFor, updated_at: change.now }),
        ...NOTHING_ELSE,
        record: { from: before.state, actor: change.actor },
        // Booked again for a new time; the text says which (docs/design.md §The message).
        message: { action: 'TICKET_BOOKED', textKey: 'TICKET_POSTPONED' },
        known: { context: change.context },
        jobs: { kind: 'moved-appointment' },
      };
    }
    case 'transfer':
      return transferPlan(change);
    case 'mark': {
      const before = change.ticket;
      // Priority moves a waiting FIFO ticket ahead (it may be near the head now) or back (those it passed move up).
      const moves = change.mark === 'priority' && isWaiting(before.state) && before.is_appointment === 0;
      return {
        ...versionedUpdate(before, { ...change.changes, updated_at: change.now }),
        ...NOTHING_ELSE,
        record: { from: before.state, actor: change.actor, kind: change.mark, detail: change.detail },
        message: null,
        known: {},
        followUp: moves ? [change.changes.priority === 1 ? { kind: 'joined-line' } : { kind: 'left-line', ticket: before }] : [],
      };
    }
    case 'subscribe': {
      const before = change.ticket;
      const channels = addedChannels(before, { ...before, ...change.changes } as Ticket);
      const current = channels ? stateMessage(before, before.state) : null;
      const update = { ...change.changes, updated_at: change.now, ...(current ? { version: before.version + 1 } : {}) };
      return {
        ...NOTHING_ELSE,
        ticket: { ...before, ...update },
        writeRow: (db) => updateTicketIfVersion(db, before.id, before.version, update),
        lostRace: () => new AppError('CONFLICT', 'The ticket changed meanwhile; try again.'),
        record: null,
        message: current && channels ? { ...current, channels } : null,
        known: {},
      };
    }
    case 'rate': {
      const before = change.ticket;
      return {
        ...NOTHING_ELSE,
        ticket: { ...before, rating: change.rating, rating_comment: change.comment },
        // Guarded by version and by "not rated yet": two taps cannot both rate.
        writeRow: (db) => rateTicketOnce(db, before.id, before.version, change.rating, change.comment),
        lostRace: () => new AppError('ALREADY_RATED'),
        record: null,
        message: null,
        known: {},
      };
    }
  }
}

/**
 * A transfer (docs/design.md §Moving tickets): the ticket waits again, booked, in the target queue
 * as a walk-in (an appointment's slot and type belong to its first queue), at its place in line or
 * at the end. Leaving a waiting line moves those behind; a service in progress ends here.
 */
function transferPlan(change: Transfer): Plan {
  const before = change.ticket;
  const from = before.state;
  if (from === TicketState.CANCELED || from === TicketState.DONE) {
    throw new AppError('INVALID_TRANSITION', `Ticket ${before.label} has ended; it cannot be transferred.`, {
      from,
      to: TicketState.BOOKED,
    });
  }
  const wasInLine = isWaiting(from);
  const row = versionedUpdate(before, {
    queue_id: change.queueId,
    state: TicketState.BOOKED,
    is_appointment: 0,
    appointment_type_id: change.queueId === before.queue_id ? before.appointment_type_id : null,
    endpoint_id: change.endpointId,
    for_endpoint_id: change.endpointId,
    line_at: change.lineAt ?? placeInLine(before),
    alert_ahead: null,
    updated_at: change.now,
  });
  const waiting: WaitingChange[] = [{ queueId: change.queueId, isAppointment: false, tickets: 1, people: before.group_size }];
  if (wasInLine)
    waiting.unshift({ queueId: before.queue_id, isAppointment: before.is_appointment === 1, tickets: -1, people: -before.group_size });
  return {
    ...row,
    waiting,
    record: {
      from,
      actor: change.actor,
      kind: 'transfer',
      detail: { fromQueueId: before.queue_id, toQueueId: change.queueId, endpointId: change.endpointId, keepPlace: change.lineAt === null },
    },
    // Lineberty has no action for a transfer: booked again, with a text that names the new queue or counter.
    message: { action: 'TICKET_BOOKED', textKey: change.endpointId ? 'TICKET_TRANSFERRED_TO_COUNTER' : 'TICKET_TRANSFERRED' },
    known: {},
    jobs: { kind: 'state', from },
    serviceEnded: from === TicketState.IN_PROGRESS ? before : null,
    followUp: [
      ...(wasInLine && before.is_appointment === 0 ? [{ kind: 'left-line', ticket: before } as const] : []),
      { kind: 'joined-line' },
    ],
  };
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
  let counts: WaitingCounts | null = null;
  for (const waiting of steps.waiting) {
    counts = await adjustWaitingCounters(db, waiting.queueId, waiting.isAppointment, waiting.tickets, waiting.people);
  }
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
          kind: steps.record.kind ?? null,
          detail: steps.record.detail ? JSON.stringify(steps.record.detail) : null,
        },
        ticket.user_id,
      );
    }
    context = known.context ?? (await loadTicketContext(db, ticket));
    position = known.position !== undefined ? known.position : await positionIfJoined(db, change, steps, counts);
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
  const followUps: TicketChange[] = [];
  for (const followUp of steps.followUp) followUps.push(...(await followUpsOf(db, followUp, ticket, position, context, now)));
  // A ticket moved within its line is both behind its old place and in its new one: alerted once.
  const alerted = new Set<string>();
  return {
    ticket,
    view,
    recorded: steps.record !== null || steps.message !== null,
    followUps: followUps.filter((next) => !alerted.has(next.ticket.id) && alerted.add(next.ticket.id)),
  };
}

/**
 * The position of a ticket that took a place in a line, which its alert needs: a FIFO ticket just
 * booked without priority is behind everyone counted before it, so the counters give it.
 */
async function positionIfJoined(db: QueueDb, change: TicketChange, steps: Plan, counts: WaitingCounts | null) {
  if (!steps.followUp.some((followUp) => followUp.kind === 'joined-line')) return undefined;
  const { ticket } = steps;
  if (change.kind === 'book' && ticket.priority !== 1 && counts) return positionOfNewest(db, ticket, counts);
  return positionOf(db, ticket);
}

async function followUpsOf(
  db: QueueDb,
  followUp: Plan['followUp'][number],
  ticket: Ticket,
  position: TicketPosition | null | undefined,
  context: TicketContext | undefined,
  now: number,
): Promise<TicketChange[]> {
  // The context read is of the ticket's queue now: a transfer left another one.
  if (followUp.kind === 'left-line')
    return alertsNearTheHead(db, followUp.ticket, now, followUp.ticket.queue_id === ticket.queue_id ? context : undefined);
  if (position && context) return alertAtBooking(ticket, position, context, now);
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
