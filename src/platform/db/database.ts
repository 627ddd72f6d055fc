/**
 * One database handle over either engine (docs/design.md §Storage): better-sqlite3 for the embedded default,
 * PostgreSQL when the URL says so. Callers branch on `engine` only where SQL really differs.
 */
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { createRequire } from 'node:module';
import type pg from 'pg';
import { SqliteLiteralLimitsDialect } from './sqlite-literal-limits.js';
import { GroupCommitter } from './group-commit.js';
import { directRunner } from './sqlite-direct.js';
import { writeHeartbeat } from './heartbeat.js';
import { labelledDialect } from './labelled-dialect.js';
import { startCheckpointer } from './sqlite-checkpointer.js';

export type Engine = 'sqlite' | 'postgres';

export interface Database<Schema> {
  db: Kysely<Schema>;
  engine: Engine;
  /** Where it lives, with any password removed, for logs. */
  location: string;
  /** The raw pool, for LISTEN/NOTIFY on PostgreSQL. */
  pgPool?: pg.Pool;
  /**
   * Runs `work` in a transaction: all of it commits or none. On SQLite concurrent transactions
   * share one commit (see group-commit.ts); `work` must only use the database it is given.
   */
  transaction<T>(work: (db: Kysely<Schema>) => Promise<T>): Promise<T>;
  /**
   * Readiness (docs/design.md §Faults): upserts the heartbeat row, or only reads when the service
   * has no heartbeat table. Throws a NotWritableError naming what failed.
   */
  checkWritable(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** `postgres://…` or `postgresql://…`; anything else is an SQLite file path (or `:memory:`). */
  target: string;
  /** PostgreSQL pool size. */
  poolSize?: number;
  /** The service's one-row heartbeat table, written by checkWritable. */
  heartbeatTable?: string;
  /**
   * SQLite: run the WAL checkpointer thread (default). A second connection to a file whose first
   * connection already runs one (a background thread's) leaves it out.
   */
  checkpoint?: boolean;
}

function isPostgresUrl(target: string): boolean {
  return /^postgres(ql)?:\/\//i.test(target);
}

export function openDatabase<Schema>(options: OpenOptions): Database<Schema> {
  const opened = isPostgresUrl(options.target)
    ? openPostgres<Schema>(options)
    : openSqlite<Schema>(options.target, options.checkpoint ?? true);
  const { heartbeatTable } = options;
  const checkWritable = heartbeatTable
    ? () => writeHeartbeat(opened.db, heartbeatTable, Date.now())
    : async () => {
        await sql`select 1`.execute(opened.db);
      };
  return { ...opened, checkWritable };
}

/**
 * The database holds names, phones and e-mail addresses: a new directory is 0700 and a new file
 * 0600 whatever the umask (SQLite would create it 0644). SQLite gives the -wal and -shm files the
 * mode of the database file. Existing files keep the mode their owner chose.
 */
function createPrivately(file: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  closeSync(openSync(file, 'a', 0o600));
}

function openSqlite<Schema>(file: string, checkpoint: boolean): Omit<Database<Schema>, 'checkWritable'> {
  if (file !== ':memory:') createPrivately(file);
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma('journal_mode = WAL');
  // NORMAL in WAL mode survives a process crash; only a power loss can drop the last commits.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  // Group commit runs each unit in a savepoint (group-commit.ts), whose sub-journal takes a copy of
  // every page the unit first touches: in memory rather than written to a temporary file.
  sqlite.pragma('temp_store = MEMORY');
  // While the file is written fast, a worker checkpoints continuously (sqlite-checkpointer.ts). Under
  // steady writes the WAL is never idle enough to restart, so the writer still checkpoints every
  // 16,000 pages (64 MB) and the next transaction starts the WAL over. By then the worker has copied
  // nearly all of it, but the writer's checkpoint still syncs the WAL and the database, blocking the
  // event loop 10-50 ms on a VM's disk: at 4,000 pages that came every ~1,200 bookings and set the
  // p99 of everything. A WAL file of up to 64 MB on disk is the price.
  sqlite.pragma('wal_autocheckpoint = 16000');
  const checkpointer = file === ':memory:' || !checkpoint ? null : startCheckpointer(file);
  const statements = withStatementCache(sqlite);
  const label = `sqlite ${file}`;
  const db = new Kysely<Schema>({
    dialect: labelledDialect(new SqliteLiteralLimitsDialect({ database: statements }), label, { beginImmediate: true }),
  });
  const committer = new GroupCommitter(db, directRunner(statements, label));
  return {
    db,
    engine: 'sqlite',
    location: file,
    transaction: (work) => committer.run(work),
    close: async () => {
      await checkpointer?.stop();
      await db.destroy();
    },
  };
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely asks better-sqlite3 to prepare every query anew; the same few dozen SQL texts come back
 * thousands of times a second, so prepared statements are kept and reused.
 */
function withStatementCache(sqlite: SqliteDatabase.Database): SqliteDatabase.Database {
  const cache = new Map<string, SqliteDatabase.Statement>();
  const prepare = sqlite.prepare.bind(sqlite);
  return Object.assign(Object.create(sqlite) as SqliteDatabase.Database, {
    prepare(source: string) {
      let statement = cache.get(source);
      if (!statement) {
        statement = prepare(source);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
        cache.set(source, statement);
      }
      return statement;
    },
    close: () => sqlite.close(),
  });
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/** A database that does not answer a connection attempt (a partition, a hung server) fails the request instead of holding it. */
const PG_CONNECT_TIMEOUT_MS = 5_000;

/**
 * The PostgreSQL driver, loaded when a postgres:// database is opened: a process on SQLite never
 * holds it (a few MB of every process's memory). `pg` is CommonJS, so require keeps openDatabase synchronous.
 */
function loadPg(): typeof pg {
  return createRequire(import.meta.url)('pg') as typeof pg;
}

function openPostgres<Schema>(options: OpenOptions): Omit<Database<Schema>, 'checkWritable'> {
  const pg = loadPg();
  const location = redactUrl(options.target);
  const pool = new pg.Pool({
    connectionString: options.target,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS,
    // Times are epoch milliseconds in bigint columns: well inside Number's exact range.
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === INT8_OID || oid === NUMERIC_OID
          ? (value: string) => Number(value)
          : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  // pg-pool listens on a client only while it is idle. A client checked out (a transaction rolling
  // back, a LISTEN) whose connection breaks emits 'error' with nobody listening, and Node ends the
  // process. Every client listens from the moment it connects: the query in flight fails with the
  // broken connection's error (a 503 to the caller), and the pool drops the client when it comes back.
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  const db = new Kysely<Schema>({ dialect: labelledDialect(new PostgresDialect({ pool }), `postgres ${location}`) });
  return {
    db,
    engine: 'postgres',
    location,
    pgPool: pool,
    transaction: (work) => db.transaction().execute(work),
    close: () => db.destroy(),
  };
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}
