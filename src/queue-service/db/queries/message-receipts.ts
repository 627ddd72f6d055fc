/** SQL on `message_receipts`: what the push server reported about each message (docs/design.md §Receipts). */
import type { Insertable } from 'kysely';
import type { MessageReceipt, MessageReceiptTable } from '../schema.js';
import type { QueueDb } from '../types.js';

/** False when a receipt with this id was stored already (a retry of the same receipt). */
export async function insertReceiptOnce(db: QueueDb, receipt: Insertable<MessageReceiptTable>): Promise<boolean> {
  const inserted = await db
    .insertInto('message_receipts')
    .values(receipt)
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export function listReceiptsOfMessages(db: QueueDb, messageIds: readonly string[]): Promise<MessageReceipt[]> {
  if (messageIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('message_receipts')
    .selectAll()
    .where('message_id', 'in', [...messageIds])
    .orderBy('occurred_at')
    .orderBy('id')
    .execute();
}
