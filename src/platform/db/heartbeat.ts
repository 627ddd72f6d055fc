/**
 * The readiness write (docs/design.md §Faults): `select 1` answers while every write fails (a full
 * disk, a read-only replica, a database in recovery), so readiness upserts the one row of the
 * service's heartbeat table instead, within a short time. The table comes from a migration of each
 * service: `(id integer primary key, beat_at bigint not null)`.
 */
import { sql, type Kysely } from 'kysely';
import { storageFaultOf } from './faults.js';

/** Long enough for a commit on a busy machine, short enough for a probe that runs every few seconds. */
const HEARTBEAT_TIMEOUT_MS = 2_000;

export class NotWritableError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'NotWritableError';
  }
}

/** Resolves when the write committed; otherwise throws a NotWritableError saying what failed, in a line a caller may read. */
export async function writeHeartbeat(db: Kysely<any>, table: string, now: number, timeoutMs = HEARTBEAT_TIMEOUT_MS): Promise<void> {
  const write = sql`insert into ${sql.table(table)} (id, beat_at) values (1, ${now})
    on conflict (id) do update set beat_at = excluded.beat_at`.execute(db);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new NotWritableError(`The database did not complete a write within ${timeoutMs} ms.`)), timeoutMs);
  });
  // A write that outlives its timeout still finishes (or fails) later; nobody waits for it.
  write.catch(() => {});
  try {
    await Promise.race([write, timeout]);
  } catch (error) {
    if (error instanceof NotWritableError) throw error;
    const fault = storageFaultOf(error);
    // The code names the failure; the engine's text may hold a host and port, and /readyz is public.
    throw new NotWritableError(`The database does not take writes (${fault ? fault.code : 'write failed'}).`, error);
  } finally {
    clearTimeout(timer);
  }
}
