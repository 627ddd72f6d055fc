/**
 * Statements of a group-commit batch, run straight on SQLite's connection (docs/design.md
 * §Storage). A batch holds the process's only SQLite connection from BEGIN to COMMIT; Kysely's
 * path for each statement (its executor, the connection provider and mutex, a promise hop per
 * layer) costs several times what SQLite needs for a prepared insert. Inside a batch, compiled
 * queries (the savepoints, prepared.ts's hot queries) go to the same cached statement directly,
 * with the same results and their errors marked with their database as the labelled driver marks
 * them. Outside a batch, and on PostgreSQL, nothing changes.
 */
import type { Database as SqliteDatabase } from 'better-sqlite3';
import type { CompiledQuery, Kysely, QueryResult } from 'kysely';
import { markDatabaseOf } from './faults.js';

/** Runs one compiled query on the connection at once; the promise is settled when it returns. */
export type DirectRunner = <R>(query: CompiledQuery) => Promise<QueryResult<R>>;

/** The batch's connection-bound Kysely instances, while their batch runs. */
const running = new WeakMap<Kysely<any>, DirectRunner>();

/** A runner on `sqlite` (its statement cache), answering as Kysely's SQLite driver does. */
export function directRunner(sqlite: Pick<SqliteDatabase, 'prepare'>, database: string): DirectRunner {
  return <R>(query: CompiledQuery): Promise<QueryResult<R>> => {
    try {
      const statement = sqlite.prepare(query.sql);
      if (statement.reader) return Promise.resolve({ rows: statement.all(query.parameters) as R[] });
      const { changes, lastInsertRowid } = statement.run(query.parameters);
      return Promise.resolve({ numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] });
    } catch (error) {
      return Promise.reject(markDatabaseOf(error, database));
    }
  };
}

/** Runs `work` while `connection` (one batch's) answers through `runner`; after it, Kysely's path again. */
export async function withDirect<T>(connection: Kysely<any>, runner: DirectRunner | null, work: () => Promise<T>): Promise<T> {
  if (!runner) return work();
  running.set(connection, runner);
  try {
    return await work();
  } finally {
    running.delete(connection);
  }
}

/** Executes a compiled query: directly when `db` is a running batch's connection, through Kysely otherwise. */
export function executeCompiled<R>(db: Pick<Kysely<any>, 'executeQuery'>, query: CompiledQuery): Promise<QueryResult<R>> {
  const runner = running.get(db as Kysely<any>);
  return runner ? runner<R>(query) : db.executeQuery<R>(query);
}
