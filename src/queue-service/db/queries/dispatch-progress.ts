/**
 * Whether delivery moves (docs/design.md §Faults): dispatchers stamp a row of queue_heartbeat when
 * they record outcomes, and readiness compares it with the oldest message that is due. The table
 * is readiness's own (migration 0004); row 1 is its write probe, row 2 this stamp.
 */
import { sql } from 'kysely';
import type { QueueDb } from '../types.js';

const DISPATCH_PROGRESS_ROW = 2;

export async function stampDispatchProgress(db: QueueDb, now: number): Promise<void> {
  await sql`insert into queue_heartbeat (id, beat_at) values (${DISPATCH_PROGRESS_ROW}, ${now})
    on conflict (id) do update set beat_at = excluded.beat_at`.execute(db);
}

/** When a dispatcher last recorded an outcome, or null when none ever did. */
export async function lastDispatchProgress(db: QueueDb): Promise<number | null> {
  const { rows } = await sql<{ beat_at: number | string }>`select beat_at from queue_heartbeat where id = ${DISPATCH_PROGRESS_ROW}`.execute(
    db,
  );
  return rows[0] ? Number(rows[0].beat_at) : null;
}

/** Since when the longest-waiting message has been due to send, or null when none waits (the messages_due index). */
export async function oldestDueMessageAt(db: QueueDb, now: number): Promise<number | null> {
  const row = await db
    .selectFrom('messages')
    .select((eb) => eb.fn.min('next_attempt_at').as('due_at'))
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .executeTakeFirst();
  return row?.due_at == null ? null : Number(row.due_at);
}
