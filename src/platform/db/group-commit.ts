/**
 * Group commit for SQLite. It has one writer, and the cost of a write transaction is mostly its
 * COMMIT: every page it touched is appended to the WAL. Transactions that arrive while a batch is
 * running are run together in one database transaction, each inside its own savepoint, so a failing
 * one rolls back alone. Every caller is answered only after the shared COMMIT: nothing is
 * acknowledged before it is durable. Under light load a batch holds one transaction and adds no wait.
 * Under a steady stream — the last batch ended under LINGER_MS × 2 ago — a batch waits LINGER_MS for
 * the next arrivals, or at a steady 1,000 bookings/s nearly every booking paid a COMMIT of its own.
 */
import { AsyncResource } from 'node:async_hooks';
import { CompiledQuery, type Kysely } from 'kysely';
import { beginImmediate } from './sqlite-begin.js';
import { type DirectRunner, executeCompiled, withDirect } from './sqlite-direct.js';

interface Pending<S> {
  work: (db: Kysely<S>) => Promise<unknown>;
  resolve: (value: any) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Enough to amortise a commit; small enough that one batch never holds the writer for long. */
const MAX_BATCH = 64;

/**
 * How long a batch waits for company while transactions come back to back. Measured at an evenly
 * spaced 1,000 bookings/s (the API alone), four interleaved pairs: CPU per booking −15 to −25 %,
 * p99 lower in all four, p50 up by 0.2–1.5 ms (BENCHMARKS.md).
 */
const LINGER_MS = 1;

export class GroupCommitter<S> {
  private readonly waiting: Pending<S>[] = [];
  private draining = false;
  private lastBatchEndedAt = Number.NEGATIVE_INFINITY;

  /** `direct`: runs the batch's compiled queries straight on the connection (sqlite-direct.ts). */
  constructor(
    private readonly db: Kysely<S>,
    private readonly direct: DirectRunner | null = null,
  ) {}

  run<T>(work: (db: Kysely<S>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      // Each transaction runs in its caller's async context, not the batch's first caller's: what it
      // reads from AsyncLocalStorage (the active span, docs/design.md §Traces) is its own.
      // (runInAsyncScope, not AsyncResource.bind: bind builds a deprecation wrapper on every call.)
      const scope = new AsyncResource('queuebell.unit');
      this.waiting.push({ work: (db) => scope.runInAsyncScope(work, null, db), resolve, reject });
      if (!this.draining) {
        this.draining = true;
        // Let the requests that already arrived in this turn of the event loop join the batch, and
        // under a steady stream those of the next millisecond.
        if (performance.now() - this.lastBatchEndedAt < 2 * LINGER_MS) setTimeout(() => void this.drain(), LINGER_MS);
        else setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.waiting.length > 0) await this.runBatch(this.waiting.splice(0, MAX_BATCH));
    } finally {
      this.draining = false;
      this.lastBatchEndedAt = performance.now();
    }
  }

  private async runBatch(batch: Pending<S>[]): Promise<void> {
    let outcomes: Outcome[];
    try {
      outcomes = await this.db
        .connection()
        .execute((connection) => withDirect(connection, this.direct, () => runInOneTransaction(connection, batch)));
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, index) => {
      const outcome = outcomes[index]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
  }
}

const SAVEPOINT = CompiledQuery.raw('SAVEPOINT unit');
const ROLLBACK_TO = CompiledQuery.raw('ROLLBACK TO unit');
const RELEASE = CompiledQuery.raw('RELEASE unit');
const COMMIT = CompiledQuery.raw('COMMIT');
const ROLLBACK = CompiledQuery.raw('ROLLBACK');

async function runInOneTransaction<S>(connection: Kysely<S>, batch: Pending<S>[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const execute = (query: CompiledQuery) => executeCompiled(connection, query);
  await beginImmediate(execute);
  try {
    for (const item of batch) {
      await execute(SAVEPOINT);
      try {
        outcomes.push({ ok: true, value: await item.work(connection) });
      } catch (error) {
        // SQLite may end the whole transaction on a full disk or an I/O error: with no savepoint
        // left, the batch fails with that error rather than with "no such savepoint".
        await execute(ROLLBACK_TO).catch(() => {
          throw error;
        });
        outcomes.push({ ok: false, error });
      }
      await execute(RELEASE);
    }
    await execute(COMMIT);
  } catch (error) {
    await execute(ROLLBACK).catch(() => {});
    throw error;
  }
  return outcomes;
}
