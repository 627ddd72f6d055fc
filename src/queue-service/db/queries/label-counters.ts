import { sql, type Kysely } from 'kysely';
import { prepared, type Placeholders } from '../../../platform/db/prepared.js';
import type { QueueServiceSchema } from '../schema.js';
import type { QueueDb } from '../types.js';

const nextLabel = prepared((db: Kysely<QueueServiceSchema>, p: Placeholders<{ queueId: string; day: string }>) =>
  db
    .insertInto('label_counters')
    .values({ queue_id: p.queueId, day: p.day, last_number: 1 })
    .onConflict((oc) => oc.columns(['queue_id', 'day']).doUpdateSet({ last_number: sql<number>`label_counters.last_number + 1` }))
    .returning('last_number'),
);

/** Takes the next label number of the queue for the day; the upsert makes it atomic on both engines. */
export async function takeNextLabelNumber(db: QueueDb, queueId: string, day: string): Promise<number> {
  const row = await nextLabel.one(db, { queueId, day });
  return Number(row.last_number);
}

export async function labelsTakenToday(db: QueueDb, queueId: string, day: string): Promise<number> {
  const row = await db
    .selectFrom('label_counters')
    .select('last_number')
    .where('queue_id', '=', queueId)
    .where('day', '=', day)
    .executeTakeFirst();
  return row ? Number(row.last_number) : 0;
}
