/** SQL on `fallback_decisions`: one decision per push message (docs/design.md §Fallback). */
import type { Insertable } from 'kysely';
import type { FallbackDecision, FallbackDecisionTable } from '../schema.js';
import type { QueueDb } from '../types.js';

/** False when the message was decided already: the primary key makes a fallback happen at most once. */
export async function insertDecisionOnce(db: QueueDb, decision: Insertable<FallbackDecisionTable>): Promise<boolean> {
  const inserted = await db
    .insertInto('fallback_decisions')
    .values(decision)
    .onConflict((oc) => oc.column('message_id').doNothing())
    .returning('message_id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export function listDecisionsOfMessages(db: QueueDb, messageIds: readonly string[]): Promise<FallbackDecision[]> {
  if (messageIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('fallback_decisions')
    .selectAll()
    .where('message_id', 'in', [...messageIds])
    .execute();
}

export async function countDecisions(db: QueueDb): Promise<{ decision: string; reason: string; channel: string | null; n: number }[]> {
  const rows = await db
    .selectFrom('fallback_decisions')
    .select(['decision', 'reason', 'channel', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['decision', 'reason', 'channel'])
    .execute();
  return rows.map((row) => ({ decision: row.decision, reason: row.reason, channel: row.channel, n: Number(row.n) }));
}
