import type { QueueDb } from '../types.js';
import type { Session } from '../schema.js';

export function insertSession(db: QueueDb, session: Session): Promise<unknown> {
  return db.insertInto('sessions').values(session).execute();
}

export function findSession(db: QueueDb, sessionId: string): Promise<Session | undefined> {
  return db.selectFrom('sessions').selectAll().where('id', '=', sessionId).executeTakeFirst();
}

/** Ends one session of this subject; false when there is none or it had already ended. */
export async function endSession(
  db: QueueDb,
  session: { id: string; kind: Session['kind']; subjectId: string },
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('sessions')
    .set({ ended_at: now })
    .where('id', '=', session.id)
    .where('kind', '=', session.kind)
    .where('subject_id', '=', session.subjectId)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
