import type { MessageAttempt } from '../schema.js';
import type { QueueDb } from '../types.js';

/** Every attempt of a batch in one statement: the attempt log costs one round trip per flush, not per message. */
export async function insertAttempts(db: QueueDb, attempts: MessageAttempt[], replay = false): Promise<void> {
  // 8 columns per row; SQLite allows 32,766 bound values per statement.
  for (let start = 0; start < attempts.length; start += 1_000) {
    const insert = db.insertInto('message_attempts').values(attempts.slice(start, start + 1_000));
    // A journal replayed: an attempt already written (before a crash) is kept as it is.
    await (replay ? insert.onConflict((oc) => oc.column('id').doNothing()) : insert).execute();
  }
}

export function listAttemptsOfMessage(db: QueueDb, messageId: string): Promise<MessageAttempt[]> {
  return db.selectFrom('message_attempts').selectAll().where('message_id', '=', messageId).orderBy('started_at').orderBy('id').execute();
}

export function listAttemptsOfMessages(db: QueueDb, messageIds: readonly string[]): Promise<MessageAttempt[]> {
  if (messageIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('message_attempts')
    .selectAll()
    .where('message_id', 'in', [...messageIds])
    .orderBy('started_at')
    .orderBy('id')
    .execute();
}
