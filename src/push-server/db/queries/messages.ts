/** SQL on `messages`: every ingested message, the dedupe key and what became of it. */
import type { Insertable, Selectable } from 'kysely';
import { sql } from 'kysely';
import type { PushDb } from '../connect.js';
import type { MessageTable } from '../schema.js';

export type MessageRow = Selectable<MessageTable>;

/**
 * Inserts the batch and returns the webhook ids that were new. A webhook id already stored (a
 * retry of a delivered message) is skipped by the unique key, not by a read-then-write race.
 */
export async function insertNewMessages(db: PushDb, rows: Insertable<MessageTable>[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const inserted = await db
    .insertInto('messages')
    .values(rows)
    .onConflict((oc) => oc.columns(['app_id', 'webhook_id']).doNothing())
    .returning('webhook_id')
    .execute();
  return new Set(inserted.map((row) => row.webhook_id));
}

export function findMessagesByWebhookIds(db: PushDb, appId: string, webhookIds: readonly string[]) {
  if (webhookIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('messages')
    .select(['id', 'webhook_id', 'status', 'push_count'])
    .where('app_id', '=', appId)
    .where('webhook_id', 'in', webhookIds)
    .execute();
}

export function findMessagesByIds(db: PushDb, ids: readonly string[]): Promise<MessageRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('messages').selectAll().where('id', 'in', ids).execute();
}

/** Newest first; `appId` null lists across apps (the admin view of a pushId). */
export function listMessagesOfPushId(db: PushDb, appId: string | null, pushId: string, limit: number): Promise<MessageRow[]> {
  let query = db.selectFrom('messages').selectAll().where('push_id', '=', pushId);
  if (appId !== null) query = query.where('app_id', '=', appId);
  return query.orderBy('received_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

export function listRecentMessagesOfApp(db: PushDb, appId: string, limit: number, status?: string): Promise<MessageRow[]> {
  let query = db.selectFrom('messages').selectAll().where('app_id', '=', appId);
  if (status) query = query.where('status', '=', status as MessageRow['status']);
  return query.orderBy('received_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

/**
 * Up to `limit` messages received before `before` with no push still waiting or on its way (the
 * worker reads the message to send it). Message ids start with their time (newSortableId), so the
 * primary key is the time index.
 */
export async function deleteMessagesReceivedBefore(db: PushDb, before: number, limit: number): Promise<number> {
  const result = await db
    .deleteFrom('messages')
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('messages as m')
        .select('m.id')
        .where('m.id', '<', sortableIdFloor('msg', before))
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('push_jobs as j')
                .select('j.id')
                .whereRef('j.message_id', '=', 'm.id')
                .where(sql<boolean>`j.status in ('pending', 'sending')`),
            ),
          ),
        )
        .orderBy('m.id')
        .limit(limit),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The smallest id newSortableId(prefix) can give at `ms`: its first six bytes are the time, in hex. */
export function sortableIdFloor(prefix: string, ms: number): string {
  const time = Buffer.alloc(6);
  time.writeUIntBE(Math.max(0, Math.floor(ms)), 0, 6);
  return `${prefix}_${time.toString('hex')}`;
}
