/**
 * Erasing the personal data of messages (docs/design.md §Retention): the body (pushId, text with a
 * name or a label), the recipient (phone, e-mail, pushId), what receivers answered, and the device
 * and provider ids of its receipts. The rows stay — status, action, times, attempts, each receipt's
 * outcome — so the message log, its timeline and its counts still add up.
 */
import { sql } from 'kysely';
import type { QueueDb } from '../types.js';

const ERASED_BODY = '{}';
/** Why a message that was still waiting will not be sent. */
const NOT_SENT_ERASED = "not sent: the person's data was erased before delivery";

/**
 * The messages of these tickets: waiting ones end as expired (there is nothing left to send),
 * finished ones are erased. One being delivered right now is left to finish; a purge erases it later.
 */
export async function eraseMessagesOfTickets(db: QueueDb, companyId: string, ticketIds: string[], now: number): Promise<number> {
  if (ticketIds.length === 0) return 0;
  const pending = await db
    .updateTable('messages')
    .set({ status: 'expired', last_error: NOT_SENT_ERASED, body: ERASED_BODY, recipient: '', personal_data_erased_at: now })
    .where('company_id', '=', companyId)
    .where('ticket_id', 'in', ticketIds)
    .where('status', '=', 'pending')
    .returning('id')
    .execute();
  // A receipt can come before our own record of the delivery (docs/design.md §Receipts).
  await eraseReceipts(
    db,
    pending.map((row) => row.id),
  );
  const ended = await db
    .selectFrom('messages')
    .select('id')
    .where('company_id', '=', companyId)
    .where('ticket_id', 'in', ticketIds)
    .where('status', 'in', ['delivered', 'failed', 'expired', 'superseded'])
    .where('personal_data_erased_at', 'is', null)
    .execute();
  return (
    pending.length +
    (await eraseMessages(
      db,
      ended.map((row) => row.id),
      now,
    ))
  );
}

/** Up to `limit` finished messages created before `before` whose data is still there (index messages_to_purge). */
export async function finishedMessagesToPurge(db: QueueDb, companyId: string, before: number, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('messages')
    .select('id')
    .where('company_id', '=', companyId)
    .where('created_at', '<', before)
    .where(sql<boolean>`personal_data_erased_at is null and status in ('delivered', 'failed', 'expired', 'superseded')`)
    .orderBy('created_at')
    .limit(limit)
    .execute();
  return rows.map((row) => row.id);
}

export async function eraseMessages(db: QueueDb, messageIds: string[], now: number): Promise<number> {
  if (messageIds.length === 0) return 0;
  const result = await db
    .updateTable('messages')
    .set({ body: ERASED_BODY, recipient: '', personal_data_erased_at: now })
    .where('id', 'in', messageIds)
    .where('personal_data_erased_at', 'is', null)
    .executeTakeFirst();
  await db.updateTable('message_attempts').set({ response_excerpt: null }).where('message_id', 'in', messageIds).execute();
  await eraseReceipts(db, messageIds);
  return Number(result.numUpdatedRows);
}

/** The device and provider ids of the messages' receipts (pseudonymous ids of the person's phone); outcomes and times stay. */
async function eraseReceipts(db: QueueDb, messageIds: string[]): Promise<void> {
  if (messageIds.length === 0) return;
  await db
    .updateTable('message_receipts')
    .set({ device_id: null, provider_message_id: null })
    .where('message_id', 'in', messageIds)
    .where((eb) => eb.or([eb('device_id', 'is not', null), eb('provider_message_id', 'is not', null)]))
    .execute();
}
