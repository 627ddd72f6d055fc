/** An operator's role in one queue instead of their own (migration 0018; docs/lineberty/auth.md §Roles). */
import type { QueueDb } from '../types.js';
import type { OperatorQueueRole } from '../schema.js';

export async function upsertOperatorQueueRole(db: QueueDb, row: OperatorQueueRole): Promise<void> {
  await db
    .insertInto('operator_queue_roles')
    .values(row)
    .onConflict((oc) => oc.columns(['operator_id', 'queue_id']).doUpdateSet({ roles: row.roles, updated_at: row.updated_at }))
    .execute();
}

export async function deleteOperatorQueueRole(db: QueueDb, operatorId: string, queueId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('operator_queue_roles')
    .where('operator_id', '=', operatorId)
    .where('queue_id', '=', queueId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** The operator's roles per queue; `queueIds` given, only in those. */
export function listOperatorQueueRoles(db: QueueDb, operatorId: string, queueIds?: string[]): Promise<OperatorQueueRole[]> {
  if (queueIds?.length === 0) return Promise.resolve([]);
  let query = db.selectFrom('operator_queue_roles').selectAll().where('operator_id', '=', operatorId);
  if (queueIds) query = query.where('queue_id', 'in', queueIds);
  return query.orderBy('queue_id').execute();
}
