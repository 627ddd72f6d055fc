/**
 * Prepared queries for hot paths. Kysely builds and compiles a query tree on every call, about
 * 10 µs each, and a booking runs a dozen queries: the building cost more than SQLite's work. A
 * prepared query is built once per engine with named placeholders in place of its values; later
 * calls only put the values in. Only fixed shapes qualify: no `in` lists of varying length, no
 * optional clauses. (The SQLite driver also caches prepared statements by SQL text.)
 */
import {
  sql,
  type CompiledQuery,
  type Compilable,
  type Insertable,
  type Kysely,
  type QueryResult,
  type Transaction,
  type Updateable,
} from 'kysely';
import { engineOf } from './engine-of.js';
import { notifyExpression } from './notify.js';
import { executeCompiled } from './sqlite-direct.js';

class Placeholder {
  constructor(readonly name: string) {}
}

/** In the builder, `p.name` stands for the value passed as `name` at execution. */
export type Placeholders<P> = { readonly [K in keyof P]: P[K] };

type Db<S> = Kysely<S> | Transaction<S>;

export interface PreparedQuery<S, P, O> {
  execute(db: Db<S>, params: P): Promise<QueryResult<O>>;
  rows(db: Db<S>, params: P): Promise<O[]>;
  first(db: Db<S>, params: P): Promise<O | undefined>;
  /** For queries that always answer a row (a count, an upsert with RETURNING): throws if none came. */
  one(db: Db<S>, params: P): Promise<O>;
}

export function prepared<S, P extends Record<string, unknown>, O>(
  build: (db: Kysely<S>, p: Placeholders<P>) => Compilable<O>,
): PreparedQuery<S, P, O> {
  const placeholders = new Proxy({} as Placeholders<P>, { get: (_target, name) => new Placeholder(String(name)) });
  const compiled = new Map<string, CompiledQuery<O>>();
  const compile = (db: Db<S>): CompiledQuery<O> => {
    const engine = engineOf(db as Kysely<S>);
    let query = compiled.get(engine);
    if (!query) {
      query = build(db as Kysely<S>, placeholders).compile();
      compiled.set(engine, query);
    }
    return query;
  };
  const execute = (db: Db<S>, params: P): Promise<QueryResult<O>> => {
    const query = compile(db);
    const parameters = query.parameters.map((parameter) => (parameter instanceof Placeholder ? params[parameter.name] : parameter));
    return executeCompiled<O>(db, { ...query, parameters });
  };
  return {
    execute,
    rows: async (db, params) => (await execute(db, params)).rows,
    first: async (db, params) => (await execute(db, params)).rows[0],
    one: async (db, params) => {
      const row = (await execute(db, params)).rows[0];
      if (row === undefined) throw new Error(`expected a row from: ${compile(db).sql}`);
      return row;
    },
  };
}

/**
 * One prepared query per value of something that must be part of the SQL itself, such as a LIMIT
 * (sqlite-literal-limits.ts), made at its first use. For values of a small set (settings), not
 * for values a caller chooses freely.
 */
export function preparedPer<K, S, P, O>(make: (key: K) => PreparedQuery<S, P, O>): (key: K) => PreparedQuery<S, P, O> {
  const made = new Map<K, PreparedQuery<S, P, O>>();
  return (key) => {
    let query = made.get(key);
    if (!query) {
      query = make(key);
      made.set(key, query);
    }
    return query;
  };
}

const insertCache = new Map<string, CompiledQuery<unknown>>();

/**
 * Inserts one row, compiling the statement once per engine, table and set of columns. Columns
 * whose value is undefined are left out, as Kysely does.
 */
export function insertRow<S, T extends keyof S & string>(db: Db<S>, table: T, row: Insertable<S[T]>): Promise<QueryResult<unknown>> {
  return insertCompiled(db, table, row, null);
}

/**
 * PostgreSQL only: inserts one row as insertRow does and NOTIFYs `channel` (empty payload,
 * delivered at commit: notify.ts) in the same statement, one round trip where insertRow and
 * notifyChannel make two.
 */
export async function insertRowAndNotify<S, T extends keyof S & string>(
  db: Db<S>,
  table: T,
  row: Insertable<S[T]>,
  channel: string,
): Promise<void> {
  if (engineOf(db as Kysely<S>) !== 'postgres') throw new Error('insertRowAndNotify is for PostgreSQL only');
  await insertCompiled(db, table, row, channel);
}

function insertCompiled<S, T extends keyof S & string>(
  db: Db<S>,
  table: T,
  row: Insertable<S[T]>,
  notify: string | null,
): Promise<QueryResult<unknown>> {
  const values = row as Record<string, unknown>;
  const columns = Object.keys(values).filter((column) => values[column] !== undefined);
  const key = `${engineOf(db as Kysely<S>)}|${table}|${columns.join(',')}|${notify ?? ''}`;
  let query = insertCache.get(key);
  if (!query) {
    const placeholders = Object.fromEntries(columns.map((column) => [column, new Placeholder(column)]));
    const kysely = db as Kysely<any>;
    query =
      notify === null
        ? kysely.insertInto(table).values(placeholders).compile()
        : kysely
            .with('inserted', (qb) => qb.insertInto(table).values(placeholders))
            .selectNoFrom(notifyExpression(notify, sql<string>`${''}`).as('notified'))
            .compile();
    insertCache.set(key, query);
  }
  const parameters = query.parameters.map((parameter) => (parameter instanceof Placeholder ? values[parameter.name] : parameter));
  return executeCompiled(db, { ...query, parameters });
}

/** In an update, stands for the value of a column that picks the rows (where), not one that is set. */
class KeyPlaceholder extends Placeholder {}

const updateCache = new Map<string, CompiledQuery<unknown>>();

/**
 * Updates the rows whose `where` columns equal the given values, compiling the statement once per
 * engine, table, set of changed columns and set of key columns. Changes are values, bound as
 * parameters: no SQL expressions (use Kysely's own update for `version + 1` and the like).
 * Changes that are undefined are left out, as Kysely does. Answers how many rows changed.
 */
export async function updateRows<S, T extends keyof S & string>(
  db: Db<S>,
  table: T,
  changes: Updateable<S[T]>,
  where: Record<string, unknown>,
): Promise<bigint> {
  const values = changes as Record<string, unknown>;
  const columns = Object.keys(values).filter((column) => values[column] !== undefined);
  const keys = Object.keys(where);
  const key = `${engineOf(db as Kysely<S>)}|${table}|${columns.join(',')}|${keys.join(',')}`;
  let query = updateCache.get(key);
  if (!query) {
    const placeholders: Record<string, unknown> = Object.fromEntries(columns.map((column) => [column, new Placeholder(column)]));
    let update = (db as Kysely<any>).updateTable(table as string).set(placeholders);
    for (const column of keys) update = update.where(column, '=', new KeyPlaceholder(column));
    query = update.compile();
    updateCache.set(key, query);
  }
  const parameters = query.parameters.map((parameter) => {
    if (parameter instanceof KeyPlaceholder) return where[parameter.name];
    return parameter instanceof Placeholder ? values[parameter.name] : parameter;
  });
  const result = await executeCompiled(db, { ...query, parameters });
  return result.numAffectedRows ?? 0n;
}
