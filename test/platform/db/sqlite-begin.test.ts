/**
 * Waiting for SQLite's write lock without blocking the event loop (platform/db/sqlite-begin.ts):
 * another connection holds the lock and gives it up from a timer of this same thread. A BEGIN that
 * waited inside SQLite's busy handler would hold the thread, the timer could never fire, and the
 * BEGIN would fail with SQLITE_BUSY after five seconds; this one gets the lock once the timer ran.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../src/platform/db/database.js';

let dir: string;
let database: Database<any> | null = null;
let holder: SqliteDatabase.Database | null = null;

afterEach(async () => {
  holder?.close();
  await database?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('waits for a write lock held by another connection while the event loop keeps running', async () => {
  dir = mkdtempSync(join(tmpdir(), 'queuebell-begin-'));
  const file = join(dir, 'db.sqlite');
  database = openDatabase<any>({ target: file, checkpoint: false });
  await sql`create table t (n integer)`.execute(database.db);
  holder = new SqliteDatabase(file);
  holder.exec('begin immediate; insert into t values (1)');
  let released = false;
  setTimeout(() => {
    holder!.exec('commit');
    released = true;
  }, 50);

  await database.transaction(async (trx) => {
    await sql`insert into t values (2)`.execute(trx);
  });
  await database.db.transaction().execute(async (trx) => {
    await sql`insert into t values (3)`.execute(trx);
  });

  expect(released).toBe(true);
  const rows = await sql<{ n: number }>`select n from t order by n`.execute(database.db);
  expect(rows.rows.map((row) => row.n)).toEqual([1, 2, 3]);
});
