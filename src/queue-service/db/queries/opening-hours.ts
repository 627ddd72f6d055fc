import type { QueueDb } from '../types.js';

/** The queue's opening hours as stored JSON, or null when it has none. */
export async function findOpeningHoursJson(db: QueueDb, queueId: string): Promise<string | null> {
  const row = await db.selectFrom('queue_opening_hours').select('hours').where('queue_id', '=', queueId).executeTakeFirst();
  return row?.hours ?? null;
}

export async function saveOpeningHours(db: QueueDb, queueId: string, hours: string, now: number): Promise<void> {
  await db
    .insertInto('queue_opening_hours')
    .values({ queue_id: queueId, hours, updated_at: now })
    .onConflict((oc) => oc.column('queue_id').doUpdateSet({ hours, updated_at: now }))
    .execute();
}

export async function deleteOpeningHours(db: QueueDb, queueId: string): Promise<boolean> {
  const result = await db.deleteFrom('queue_opening_hours').where('queue_id', '=', queueId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
