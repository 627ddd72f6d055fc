/**
 * The PostgreSQL side of the bench: is the server there, scratch databases, and `pgbench`'s built-in
 * TPC-B-like run on the same server as the ceiling of the PostgreSQL scenarios.
 * BENCH_PG_URL overrides the server (default: the shared test server, trust auth).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);
const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const PGBENCH = process.env.BENCH_PGBENCH ?? '/usr/lib/postgresql/15/bin/pgbench';

/** The URL of `database` on the bench server. */
export function databaseUrl(database: string): string {
  const url = new URL(PG_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Why the server cannot be used, or null when it answers. */
export async function postgresUnavailable(): Promise<string | null> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (error) {
    return `PostgreSQL unreachable at ${new URL(PG_URL).host}: ${(error as Error).message}`;
  } finally {
    await client.end().catch(() => {});
  }
}

export async function adminQuery(text: string, values: unknown[] = [], url = PG_URL): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text, values);
  } finally {
    await client.end();
  }
}

export async function createDatabase(name: string): Promise<void> {
  await dropDatabase(name);
  await adminQuery(`create database ${name}`);
}

/** Never throws: a finally block can always call it. */
export async function dropDatabase(name: string): Promise<void> {
  await adminQuery(`drop database if exists ${name} with (force)`).catch(() => {});
}

function pgbenchArgs(database: string): string[] {
  const url = new URL(databaseUrl(database));
  return ['-h', url.hostname, '-p', url.port || '5432', '-U', decodeURIComponent(url.username || 'postgres'), database];
}

/** `pgbench -i` into a scratch database of its own (scale `scale`: 100,000 accounts each). */
export async function initPgbench(database: string, scale: number): Promise<void> {
  await createDatabase(database);
  const args = pgbenchArgs(database);
  await run(PGBENCH, ['-i', '-q', '-s', String(scale), ...args], { maxBuffer: 16 * 2 ** 20 });
}

/** The built-in TPC-B-like script for `seconds` with `clients` connections: transactions per second. */
export async function runPgbench(database: string, clients: number, seconds: number): Promise<number> {
  const { stdout } = await run(PGBENCH, ['-c', String(clients), '-j', '2', '-T', String(seconds), ...pgbenchArgs(database)], {
    maxBuffer: 16 * 2 ** 20,
  });
  const tps = /tps = ([\d.]+)/.exec(stdout)?.[1];
  if (!tps) throw new Error(`pgbench printed no tps:\n${stdout}`);
  return Number(tps);
}
