/**
 * BEGIN IMMEDIATE on SQLite without blocking the event loop. better-sqlite3 is synchronous: while
 * another connection (a background thread's, docs/design.md §Workers) holds the write lock, SQLite's
 * busy handler would sleep inside the call and stall every request of this thread with it. Here the
 * BEGIN is tried with no busy wait, and retried after a millisecond of *event-loop* time until the
 * lock is free or the usual five seconds are up.
 */
import type { CompiledQuery } from 'kysely';
import { CompiledQuery as Query } from 'kysely';

type Execute = (query: CompiledQuery) => Promise<unknown>;

/** As long as the connection's busy_timeout (database.ts) would have waited. */
const LOCK_WAIT_MS = 5_000;
const BUSY_TIMEOUT_MS = 5_000;

const NO_WAIT = Query.raw('pragma busy_timeout = 0');
const WAIT = Query.raw(`pragma busy_timeout = ${BUSY_TIMEOUT_MS}`);
const BEGIN = Query.raw('begin immediate');

export async function beginImmediate(execute: Execute): Promise<void> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    await execute(NO_WAIT);
    try {
      await execute(BEGIN);
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw error;
    } finally {
      await execute(WAIT);
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}
