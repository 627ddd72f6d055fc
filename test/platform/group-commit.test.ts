import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openDatabase, type Database } from '../../src/platform/db/database.js';

interface Schema {
  items: { id: number; label: string };
}

describe('group commit on SQLite', () => {
  let database: Database<Schema>;
  let dir: string;
  afterEach(async () => {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function open(): Promise<void> {
    dir = mkdtempSync(join(tmpdir(), 'queuebell-group-'));
    database = openDatabase<Schema>({ target: join(dir, 'db.sqlite') });
    await sql`create table items (id integer primary key, label text not null unique)`.execute(database.db);
  }
  const insert = (id: number, label: string) =>
    database.transaction(async (db) => {
      await db.insertInto('items').values({ id, label }).execute();
      return id;
    });

  it('commits concurrent transactions together and rolls back only the one that failed', async () => {
    await open();
    const results = await Promise.allSettled([
      insert(1, 'a'),
      insert(2, 'b'),
      database.transaction(async (db) => {
        await db.insertInto('items').values({ id: 3, label: 'c' }).execute();
        throw new Error('changed my mind');
      }),
      insert(4, 'a'), // violates the unique label: fails alone
      insert(5, 'e'),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect((results[2] as PromiseRejectedResult).reason.message).toBe('changed my mind');
    const rows = await database.db.selectFrom('items').select('id').orderBy('id').execute();
    expect(rows.map((r) => r.id)).toEqual([1, 2, 5]);
  });

  it('answers only after the shared commit, so every answered write is there', async () => {
    await open();
    const ids = Array.from({ length: 200 }, (_, i) => i + 1);
    const answered = await Promise.all(ids.map((id) => insert(id, `label-${id}`)));
    expect(answered).toEqual(ids);
    const { rows } = await sql<{ count: number }>`select count(*) as count from items`.execute(database.db);
    expect(Number(rows[0]?.count)).toBe(200);
  });

  /**
   * B, then C one event-loop turn later: a batch that starts at once holds B alone. Commits are
   * counted in WAL frames: each insert dirties the table's page and its unique index's page, written
   * once per commit, so B and C together add 2 frames and apart 4.
   */
  async function framesOfTwoCommittedOneTurnApart(b: number, c: number): Promise<number> {
    const wal = join(dir, 'db.sqlite-wal');
    const before = statSync(wal).size;
    const first = insert(b, `label-${b}`);
    await new Promise((resolve) => setImmediate(resolve));
    await Promise.all([first, insert(c, `label-${c}`)]);
    return (statSync(wal).size - before) / (4096 + 24);
  }

  it('lets a transaction right behind a busy stream share the next commit, and runs one after a pause at once', async () => {
    await open();
    await insert(1, 'warm');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await framesOfTwoCommittedOneTurnApart(2, 3)).toBe(4);
    // Right behind a batch (under 2 ms), the next one waits a millisecond for company. A loaded
    // machine may pause longer than that between two lines, so a few tries.
    const shared: number[] = [];
    for (let i = 0; i < 5; i++) {
      await insert(10 + 3 * i, `stream-${i}`);
      // Its batch has ended (a caller is answered a moment before the batch loop sees it is empty).
      await new Promise((resolve) => setImmediate(resolve));
      shared.push(await framesOfTwoCommittedOneTurnApart(11 + 3 * i, 12 + 3 * i));
    }
    expect(shared).toContain(2);
  });
});
