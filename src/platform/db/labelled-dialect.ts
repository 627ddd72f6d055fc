/**
 * A Kysely dialect that marks every error it throws with the database it came from, so whoever
 * answers the failure (the HTTP error handler, a worker's log line) can say which database is in
 * trouble without the query code knowing (docs/design.md §Faults).
 */
import type { CompiledQuery, DatabaseConnection, Dialect, Driver, Kysely } from 'kysely';
import { beginImmediate } from './sqlite-begin.js';
import { markDatabaseOf } from './faults.js';

const DRIVER_METHODS = [
  'init',
  'beginTransaction',
  'commitTransaction',
  'rollbackTransaction',
  'savepoint',
  'rollbackToSavepoint',
  'releaseSavepoint',
  'releaseConnection',
  'destroy',
] as const;

export interface LabelOptions {
  /**
   * SQLite: transactions begin IMMEDIATE, taking the write lock at once (sqlite-begin.ts: waiting
   * for it without blocking the event loop). A deferred transaction that reads and then writes
   * fails at once with SQLITE_BUSY (no busy wait) when another connection — a background
   * thread's — wrote in between.
   */
  beginImmediate?: boolean;
}

export function labelledDialect(inner: Dialect, database: string, options: LabelOptions = {}): Dialect {
  return {
    createAdapter: () => inner.createAdapter(),
    createQueryCompiler: () => inner.createQueryCompiler(),
    createIntrospector: (db: Kysely<any>) => inner.createIntrospector(db),
    createDriver: () => labelledDriver(inner.createDriver(), database, options),
  };
}

function labelledDriver(inner: Driver, database: string, options: LabelOptions): Driver {
  const mark = (error: unknown) => {
    throw markDatabaseOf(error, database);
  };
  const driver: Record<string, unknown> = {};
  // The driver keeps its state in private fields: every method runs bound to it, optional ones only if it has them.
  for (const name of DRIVER_METHODS) {
    const method = inner[name] as ((...args: unknown[]) => Promise<unknown>) | undefined;
    if (typeof method === 'function') driver[name] = (...args: unknown[]) => method.apply(inner, args).catch(mark);
  }
  if (options.beginImmediate) {
    driver.beginTransaction = (connection: DatabaseConnection) => beginImmediate((query) => connection.executeQuery(query)).catch(mark);
  }
  driver.acquireConnection = async () => labelConnection((await inner.acquireConnection().catch(mark)) as DatabaseConnection, mark);
  return driver as unknown as Driver;
}

const labelled = new WeakSet<DatabaseConnection>();

/** Connections are pooled and come back many times: patched once, in place (as Kysely's own logging does). */
function labelConnection(connection: DatabaseConnection, mark: (error: unknown) => never): DatabaseConnection {
  if (labelled.has(connection)) return connection;
  labelled.add(connection);
  const executeQuery = connection.executeQuery.bind(connection);
  connection.executeQuery = <R>(query: CompiledQuery) => executeQuery<R>(query).catch(mark);
  return connection;
}
