/** The message log (outbox rows): written with ticket changes, read by the admin API, re-queued by replay. */
import { sql } from 'kysely';
import { engineOf } from '../../../platform/db/engine-of.js';
import { insertRow, insertRowAndNotify } from '../../../platform/db/prepared.js';
import type { QueueDb } from '../types.js';
import type { Message, MessageChannel, MessageStatus, NewMessage } from '../schema.js';

export { listAttemptsOfMessage } from './message-attempts.js';

/**
 * Inserts the messages and, with `notify`, NOTIFYs that channel (PostgreSQL; delivered at commit):
 * the last insert carries the NOTIFY, saving the round trip of a statement of its own. SQLite has
 * nobody else to tell (platform/db/notify.ts).
 */
export async function insertMessages(db: QueueDb, messages: NewMessage[], notify: string | null = null): Promise<void> {
  const notifies = notify !== null && engineOf(db) === 'postgres';
  for (const [index, message] of messages.entries()) {
    if (notifies && index === messages.length - 1) await insertRowAndNotify(db, 'messages', message, notify);
    else await insertRow(db, 'messages', message);
  }
}

export interface MessageFilter {
  companyId?: string;
  ticketId?: string;
  status?: MessageStatus;
  /** Any of these statuses (replay of a range). */
  statuses?: MessageStatus[];
  destinationId?: string;
  channel?: MessageChannel;
  from?: number;
  to?: number;
  /** Keyset pagination: messages created before this id (ids sort by creation). */
  before?: string;
  limit: number;
}

export function listMessages(db: QueueDb, filter: MessageFilter): Promise<Message[]> {
  let query = db.selectFrom('messages').selectAll();
  if (filter.companyId) query = query.where('company_id', '=', filter.companyId);
  if (filter.ticketId) query = query.where('ticket_id', '=', filter.ticketId);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.statuses) query = query.where('status', 'in', filter.statuses);
  if (filter.destinationId) query = query.where('destination_id', '=', filter.destinationId);
  if (filter.channel) query = query.where('channel', '=', filter.channel);
  if (filter.from !== undefined) query = query.where('created_at', '>=', filter.from);
  if (filter.to !== undefined) query = query.where('created_at', '<', filter.to);
  if (filter.before) query = query.where('id', '<', filter.before);
  return query.orderBy('id', 'desc').limit(filter.limit).execute();
}

export function findMessage(db: QueueDb, messageId: string): Promise<Message | undefined> {
  return db.selectFrom('messages').selectAll().where('id', '=', messageId).executeTakeFirst();
}

export const ENDED_STATUSES: readonly MessageStatus[] = ['delivered', 'failed', 'expired', 'superseded'];

/**
 * Replay: ended messages go back to `pending` with a fresh deadline as long as their first one,
 * keeping their id (the receiver's idempotency key). Only the newest message of its lane is
 * re-queued — an older one would show a person a state their ticket already left — and only
 * towards an enabled destination. Returns the ids re-queued.
 */
export async function requeueEndedMessages(db: QueueDb, ids: string[], now: number): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .updateTable('messages as m')
    .set((eb) => ({
      status: 'pending',
      next_attempt_at: now,
      attempt_count: 0,
      last_error: null,
      delivered_at: null,
      lease_owner: null,
      lease_expires_at: null,
      deliver_by: sql<number>`${now} + (m.deliver_by - coalesce(m.replayed_at, m.created_at))`,
      replay_count: eb('m.replay_count', '+', 1),
      replayed_at: now,
    }))
    .where('m.id', 'in', ids)
    // An erased body has nothing left to send (privacy/erase.ts).
    .where('m.personal_data_erased_at', 'is', null)
    .where('m.status', 'in', ENDED_STATUSES)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('messages as n')
            .select('n.id')
            .whereRef('n.ticket_id', '=', 'm.ticket_id')
            .whereRef('n.channel', '=', 'm.channel')
            .where(sql<boolean>`coalesce(n.destination_id, '') = coalesce(m.destination_id, '')`)
            .whereRef('n.ticket_version', '>', 'm.ticket_version'),
        ),
      ),
    )
    .where(({ or, eb, exists, selectFrom }) =>
      or([
        eb('m.destination_id', 'is', null),
        exists(selectFrom('webhooks as w').select('w.id').whereRef('w.id', '=', 'm.destination_id').where('w.enabled', '=', 1)),
      ]),
    )
    .returning('id')
    .execute();
  return rows.map((row) => row.id);
}

/** Whether a newer message of the same lane (ticket × channel × destination) exists. */
export async function hasNewerInLane(db: QueueDb, message: Message): Promise<boolean> {
  const newer = await db
    .selectFrom('messages')
    .select('id')
    .where('ticket_id', '=', message.ticket_id)
    .where('channel', '=', message.channel)
    .where(sql<boolean>`coalesce(destination_id, '') = ${message.destination_id ?? ''}`)
    .where('ticket_version', '>', message.ticket_version)
    .limit(1)
    .executeTakeFirst();
  return newer !== undefined;
}

/** Messages still to deliver per destination of a company: what a failing destination is holding up. */
export async function countWaitingByDestination(db: QueueDb, companyId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('messages')
    .select(['destination_id', (eb) => eb.fn.countAll<number>().as('waiting')])
    .where(sql<boolean>`status in ('pending', 'delivering')`)
    .where('company_id', '=', companyId)
    .where('destination_id', 'is not', null)
    .groupBy('destination_id')
    .execute();
  return new Map(rows.map((row) => [row.destination_id!, Number(row.waiting)]));
}

/** SMS or e-mail sends in the last hour and day (refused ones do not count). */
export interface SendCounts {
  lastHour: number;
  lastDay: number;
}

/** Sends of a channel to one recipient (a phone number, an e-mail address) in the last hour and day. */
export function countSendsToRecipient(
  db: QueueDb,
  channel: MessageChannel,
  recipient: string,
  hourAgo: number,
  dayAgo: number,
): Promise<SendCounts> {
  return sendCounts(db, 'recipient', recipient, channel, hourAgo, dayAgo);
}

/** Sends of a channel by one company in the last hour and day. */
export function countSendsOfCompany(
  db: QueueDb,
  companyId: string,
  channel: MessageChannel,
  hourAgo: number,
  dayAgo: number,
): Promise<SendCounts> {
  return sendCounts(db, 'company_id', companyId, channel, hourAgo, dayAgo);
}

async function sendCounts(
  db: QueueDb,
  column: 'recipient' | 'company_id',
  value: string,
  channel: MessageChannel,
  hourAgo: number,
  dayAgo: number,
): Promise<SendCounts> {
  const row = await db
    .selectFrom('messages')
    .where(column, '=', value)
    .where('channel', '=', channel)
    // Verbatim the predicate of messages_contact_recipient (migration 0020), so a planner may use it.
    .where(sql<boolean>`channel <> 'webhook'`)
    .where('created_at', '>=', dayAgo)
    .where('refused_reason', 'is', null)
    .select([
      sql<number>`count(*)`.as('day'),
      sql<number>`coalesce(sum(case when created_at >= ${hourAgo} then 1 else 0 end), 0)`.as('hour'),
    ])
    .executeTakeFirstOrThrow();
  return { lastHour: Number(row.hour), lastDay: Number(row.day) };
}

/** Refused SMS and e-mail since `since`, per channel and reason (the metrics read it). */
export async function countRefusedSends(db: QueueDb, since: number): Promise<Array<{ channel: string; reason: string; count: number }>> {
  const rows = await db
    .selectFrom('messages')
    .select(['channel', 'refused_reason', sql<number>`count(*)`.as('n')])
    .where('refused_reason', 'is not', null)
    .where('created_at', '>=', since)
    .groupBy(['channel', 'refused_reason'])
    .execute();
  return rows.map((row) => ({ channel: row.channel, reason: row.refused_reason ?? '', count: Number(row.n) }));
}

/** The push messages of one change of a ticket (its version), oldest destination first. */
export function listWebhookMessagesOfVersion(db: QueueDb, ticketId: string, version: number): Promise<Message[]> {
  return db
    .selectFrom('messages')
    .selectAll()
    .where('ticket_id', '=', ticketId)
    .where('ticket_version', '=', version)
    .where('channel', '=', 'webhook')
    .orderBy('id')
    .execute();
}

/** The ticket's newest push message with one of these actions. */
export function findNewestWebhookMessage(db: QueueDb, ticketId: string, actions: readonly string[]): Promise<Message | undefined> {
  if (actions.length === 0) return Promise.resolve(undefined);
  return db
    .selectFrom('messages')
    .selectAll()
    .where('ticket_id', '=', ticketId)
    .where('channel', '=', 'webhook')
    .where('action', 'in', [...actions])
    .orderBy('ticket_version', 'desc')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
}

export function listMessagesOfTicket(db: QueueDb, companyId: string, ticketId: string): Promise<Message[]> {
  return db
    .selectFrom('messages')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('ticket_id', '=', ticketId)
    .orderBy('ticket_version')
    .orderBy('id')
    .execute();
}

/** Every message of one change of a ticket (its version), whatever the channel. */
export function listMessagesOfTicketVersion(db: QueueDb, ticketId: string, version: number): Promise<Message[]> {
  return db
    .selectFrom('messages')
    .selectAll()
    .where('ticket_id', '=', ticketId)
    .where('ticket_version', '=', version)
    .orderBy('id')
    .execute();
}

/** Messages pending or being delivered per destination (a webhook id, or the channel), with the oldest's creation time. */
export async function waitingByDestination(db: QueueDb): Promise<{ destination: string; waiting: number; oldestCreatedAt: number }[]> {
  const rows = await db
    .selectFrom('messages')
    .select((eb) => [
      sql<string>`coalesce(destination_id, channel)`.as('destination'),
      eb.fn.countAll<number>().as('n'),
      eb.fn.min('created_at').as('oldest'),
    ])
    .where(sql<boolean>`status in ('pending', 'delivering')`)
    .groupBy(sql`coalesce(destination_id, channel)`)
    .execute();
  return rows.map((row) => ({ destination: row.destination, waiting: Number(row.n), oldestCreatedAt: Number(row.oldest) }));
}
