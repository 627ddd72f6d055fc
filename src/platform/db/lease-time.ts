/**
 * Which clock stamps and judges leases and retry times (docs/design.md §Workers): the database's on
 * PostgreSQL, so workers whose clocks disagree still agree on who holds what; on SQLite the one
 * process's. A test that moves a manual clock passes a time it read from that clock instead.
 */
import { sql, type Kysely } from 'kysely';
import { systemClock, type Clock } from '../clock.js';
import { engineOf } from './engine-of.js';

/** 'database', or a time (epoch ms) the caller read from its own clock. */
export type LeaseTime = number | 'database';

/** The database's clock in epoch ms (SQLite: one process, so its own clock is the only one). */
export async function readLeaseTime(db: Kysely<any>, now: LeaseTime): Promise<number> {
  if (now !== 'database') return now;
  if (engineOf(db) === 'sqlite') return Date.now();
  const { rows } = await sql<{ now: string }>`select (extract(epoch from clock_timestamp()) * 1000)::bigint as now`.execute(db);
  return Number(rows[0]!.now);
}

/** The usual choice: the database's clock for the system clock, a test's own clock otherwise. */
export const leaseClockFor = (clock: Clock): 'database' | 'own' => (clock === systemClock ? 'database' : 'own');

/** What a worker passes to its queries: 'database', or a reading of its own clock. */
export const leaseTimeOf = (leaseClock: 'database' | 'own', clock: Clock): LeaseTime =>
  leaseClock === 'database' ? 'database' : clock.now();
