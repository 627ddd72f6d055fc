/**
 * The checkpoint thread (platform/db/sqlite-checkpointer.ts) on a real SQLite file: absent while
 * nothing is written, started once the WAL grows while written, copying the WAL into the database
 * (the writer here never checkpoints itself), and ended once writes stop.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startCheckpointer, type Checkpointer } from '../../../src/platform/db/sqlite-checkpointer.js';

let dir: string;
let file: string;
let writer: SqliteDatabase.Database;
let checkpointer: Checkpointer | null = null;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'queuebell-checkpointer-'));
  file = join(dir, 'db.sqlite');
  writer = new SqliteDatabase(file);
  writer.pragma('journal_mode = WAL');
  writer.pragma('wal_autocheckpoint = 0');
  writer.exec('create table t (id integer primary key, body text not null)');
});

afterEach(async () => {
  await checkpointer?.stop();
  writer.close();
  rmSync(dir, { recursive: true, force: true });
});

const until = async (condition: () => boolean, ms = 5_000) => {
  const by = Date.now() + ms;
  while (!condition() && Date.now() < by) await new Promise((resolve) => setTimeout(resolve, 25));
  return condition();
};
const writeRows = (count: number) => {
  const insert = writer.prepare('insert into t (body) values (?)');
  writer.transaction(() => {
    for (let i = 0; i < count; i++) insert.run('x'.repeat(500));
  })();
};

it('starts when the WAL grows while written, checkpoints it, and ends when writes stop', async () => {
  checkpointer = startCheckpointer(file, { intervalMs: 20, watchMs: 50, startAtBytes: 256 * 1024, idleStopMs: 400 });
  // A small write leaves the thread off.
  writeRows(10);
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(checkpointer.running).toBe(false);
  const databaseBytes = statSync(file).size;

  // Past the threshold and still being written: the thread starts and copies the WAL into the file.
  const writing = setInterval(() => writeRows(200), 30);
  try {
    expect(await until(() => checkpointer!.running)).toBe(true);
    expect(await until(() => statSync(file).size > databaseBytes + 256 * 1024)).toBe(true);
  } finally {
    clearInterval(writing);
  }
  // No writes for idleStopMs: it ends.
  expect(await until(() => !checkpointer!.running)).toBe(true);
});
