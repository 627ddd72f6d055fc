/**
 * ticket_events as the feed of live streams: its sequential id is the server-sent event id a
 * client resumes from. On PostgreSQL, inserting an event also NOTIFYs it (delivered at commit, to
 * every process listening), in the same round trip.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { TicketStateCode } from '../../../contract/ticket-states.js';
import { insertRow, prepared, type Placeholders } from '../../../platform/db/prepared.js';
import { engineOf } from '../../../platform/db/engine-of.js';
import { notifyExpression } from '../../../platform/db/notify.js';
import type { QueueServiceSchema, TicketEventTable } from '../schema.js';
import type { QueueDb } from '../types.js';

/** PostgreSQL NOTIFY channel of the live streams (streams/feed.ts listens). */
export const STREAM_CHANNEL = 'queuebell_streams';

/** One change of a ticket as streams see it: the event row and the ticket's owner. */
export interface FeedEvent {
  id: number;
  ticketId: string;
  userId: string | null;
  companyId: string;
  placeId: string;
  queueId: string;
  version: number;
  from: TicketStateCode | null;
  to: TicketStateCode;
  action: string | null;
  endpointId: string | null;
  at: number;
}

/** A history event to write: every column but the id, null where it has nothing. */
export type NewTicketEvent = Omit<Selectable<TicketEventTable>, 'id'>;

export async function insertTicketEventForFeed(db: QueueDb, event: NewTicketEvent, userId: string | null): Promise<number> {
  if (engineOf(db) === 'sqlite') return Number((await insertRow(db, 'ticket_events', event)).insertId);
  const row = await INSERT_AND_NOTIFY.one(db, { ...event, userId });
  return Number(row.id);
}

/** Prepared, as every recorded change of a ticket writes one. */
const INSERT_AND_NOTIFY = prepared((db: Kysely<QueueServiceSchema>, p: Placeholders<NewTicketEvent & { userId: string | null }>) =>
  db
    .with('e', (qb) =>
      qb
        .insertInto('ticket_events')
        .values({
          ticket_id: p.ticket_id,
          company_id: p.company_id,
          place_id: p.place_id,
          queue_id: p.queue_id,
          version: p.version,
          from_state: p.from_state,
          to_state: p.to_state,
          action: p.action,
          actor: p.actor,
          endpoint_id: p.endpoint_id,
          at: p.at,
          kind: p.kind,
          detail: p.detail,
        })
        .returningAll(),
    )
    .selectFrom('e')
    .select([
      'e.id',
      notifyExpression(
        STREAM_CHANNEL,
        sql<string>`json_build_object(
        'kind', 'event', 'id', e.id, 'ticketId', e.ticket_id, 'userId', ${p.userId}::text, 'companyId', e.company_id,
        'placeId', e.place_id, 'queueId', e.queue_id, 'version', e.version, 'from', e.from_state, 'to', e.to_state,
        'action', e.action, 'endpointId', e.endpoint_id, 'at', e.at)::text`,
      ).as('notified'),
    ]),
);

function feedQuery(db: QueueDb) {
  return db
    .selectFrom('ticket_events as e')
    .leftJoin('tickets as t', 't.id', 'e.ticket_id')
    .select([
      'e.id',
      'e.ticket_id as ticketId',
      't.user_id as userId',
      'e.company_id as companyId',
      'e.place_id as placeId',
      'e.queue_id as queueId',
      'e.version',
      'e.from_state as from',
      'e.to_state as to',
      'e.action',
      'e.endpoint_id as endpointId',
      'e.at',
    ]);
}

const toFeedEvent = (row: FeedEvent): FeedEvent => ({ ...row, id: Number(row.id), at: Number(row.at) });

/** Events after `afterId`, in id order (the SQLite tailer; on SQLite ids are assigned in commit order). */
export async function feedEventsAfter(db: QueueDb, afterId: number, limit: number): Promise<FeedEvent[]> {
  return (await feedQuery(db).where('e.id', '>', afterId).orderBy('e.id').limit(limit).execute()).map(toFeedEvent);
}

/** What a ticket stream missed: the events of these tickets after `afterId`. */
export async function ticketEventsAfter(db: QueueDb, ticketIds: string[], afterId: number): Promise<FeedEvent[]> {
  if (ticketIds.length === 0) return [];
  return (await feedQuery(db).where('e.ticket_id', 'in', ticketIds).where('e.id', '>', afterId).orderBy('e.id').limit(1000).execute()).map(
    toFeedEvent,
  );
}

/** Calls (and recalls) at a place after `afterId`, oldest first: what a display board missed. */
export async function placeCallsAfter(db: QueueDb, placeId: string, afterId: number, limit: number): Promise<FeedEvent[]> {
  return (
    await feedQuery(db)
      .where('e.place_id', '=', placeId)
      .where('e.id', '>', afterId)
      .where('e.to_state', '=', 200)
      .orderBy('e.id', 'desc')
      .limit(limit)
      .execute()
  )
    .map(toFeedEvent)
    .reverse();
}

/** Tickets of a place changed after `afterId`, at most `limit`: what a ticket board missed. */
export async function placeTicketIdsChangedAfter(db: QueueDb, placeId: string, afterId: number, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('ticket_events')
    .select((eb) => ['ticket_id', eb.fn.max('id').as('id')])
    .where('place_id', '=', placeId)
    .where('id', '>', afterId)
    .groupBy('ticket_id')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => row.ticket_id);
}

/** The newest event id of each ticket. */
export async function lastEventIdsOf(db: QueueDb, ticketIds: string[]): Promise<Map<string, number>> {
  if (ticketIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('ticket_events')
    .select((eb) => ['ticket_id', eb.fn.max('id').as('id')])
    .where('ticket_id', 'in', ticketIds)
    .groupBy('ticket_id')
    .execute();
  return new Map(rows.map((row) => [row.ticket_id, Number(row.id)]));
}

export async function lastEventId(db: QueueDb): Promise<number> {
  const row = await db
    .selectFrom('ticket_events')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  return Number(row?.id ?? 0);
}

/** A ticket's history, oldest first (the admin timeline). */
export function listEventsOfTicket(db: QueueDb, ticketId: string) {
  return db.selectFrom('ticket_events').selectAll().where('ticket_id', '=', ticketId).orderBy('id').execute();
}

/** The ticket's newest change with this action (the desk's reached mark reads its call). */
export function findLatestEventWithAction(db: QueueDb, ticketId: string, action: string) {
  return db
    .selectFrom('ticket_events')
    .select(['version', 'at'])
    .where('ticket_id', '=', ticketId)
    .where('action', '=', action)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}
