import { sql, type Kysely } from 'kysely';
import { prepared, type Placeholders } from '../../../platform/db/prepared.js';
import type { QueueServiceSchema } from '../schema.js';
import type { QueueDb } from '../types.js';

/**
 * Folds one service (in progress → done, per person) into the queue's moving average: the first
 * sample replaces the configured default, each later one moves the average by `weight`.
 */
export async function recordServiceSample(db: QueueDb, queueId: string, msPerPerson: number, weight: number, now: number): Promise<void> {
  await db
    .insertInto('queue_service_times')
    .values({ queue_id: queueId, ms_per_person: msPerPerson, samples: 1, updated_at: now })
    .onConflict((oc) =>
      oc.column('queue_id').doUpdateSet({
        ms_per_person: sql<number>`queue_service_times.ms_per_person + ${weight} * (excluded.ms_per_person - queue_service_times.ms_per_person)`,
        samples: sql<number>`queue_service_times.samples + 1`,
        updated_at: now,
      }),
    )
    .execute();
}

export interface ServiceFacts {
  /** Open counters serving the queue: the divisor of waiting time. */
  openCounters: number;
  /** The moving average of service time per person, or null until the queue has history. */
  msPerPerson: number | null;
}

/** Both facts an estimate needs, in one round trip; prepared, as every waiting ticket's message asks. */
export async function serviceFactsOfQueue(db: QueueDb, queueId: string): Promise<ServiceFacts> {
  const row = await SERVICE_FACTS.one(db, { queueId });
  return { openCounters: Number(row.open_counters ?? 0), msPerPerson: row.ms_per_person === null ? null : Number(row.ms_per_person) };
}

const SERVICE_FACTS = prepared((db: Kysely<QueueServiceSchema>, p: Placeholders<{ queueId: string }>) =>
  db.selectNoFrom((eb) => [
    eb
      .selectFrom('endpoint_queues')
      .innerJoin('endpoints', 'endpoints.id', 'endpoint_queues.endpoint_id')
      .select((inner) => inner.fn.countAll<number>().as('count'))
      .where('endpoint_queues.queue_id', '=', p.queueId)
      .where('endpoints.is_open', '=', 1)
      .as('open_counters'),
    eb.selectFrom('queue_service_times').select('ms_per_person').where('queue_id', '=', p.queueId).as('ms_per_person'),
  ]),
);
