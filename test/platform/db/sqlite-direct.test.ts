import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storageFaultOf } from '../../../src/platform/db/faults.js';
import { GroupCommitter } from '../../../src/platform/db/group-commit.js';
import { insertRow, prepared, updateRows, type Placeholders } from '../../../src/platform/db/prepared.js';
import { directRunner } from '../../../src/platform/db/sqlite-direct.js';

interface Schema {
  items: { id: number; label: string };
}

const labelOf = prepared((db: Kysely<Schema>, p: Placeholders<{ id: number }>) =>
  db.selectFrom('items').select('label').where('id', '=', p.id),
);

describe('statements of a group-commit batch, straight on the connection', () => {
  let raw: SqliteDatabase.Database;
  let db: Kysely<Schema>;
  /** What went through Kysely's executor: Kysely logs every query it runs. */
  let throughKysely: string[];
  beforeEach(async () => {
    raw = new SqliteDatabase(':memory:');
    throughKysely = [];
    db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: raw }), log: (event) => void throughKysely.push(event.query.sql) });
    await sql`create table items (id integer primary key, label text not null unique)`.execute(db);
    throughKysely = [];
  });
  afterEach(async () => {
    await db.destroy();
  });

  const unit = (committer: GroupCommitter<Schema>, id: number, label: string) =>
    committer.run(async (tx) => {
      await insertRow(tx, 'items', { id, label });
      const changed = await updateRows(tx, 'items', { label: `${label}!` }, { id });
      return { changed, read: await labelOf.first(tx, { id }) };
    });

  it('answers as Kysely does, without its executor, and only inside the batch', async () => {
    const committer = new GroupCommitter(db, directRunner(raw, 'sqlite test'));
    const answers = await Promise.all([unit(committer, 1, 'a'), unit(committer, 2, 'b')]);
    expect(answers).toEqual([
      { changed: 1n, read: { label: 'a!' } },
      { changed: 1n, read: { label: 'b!' } },
    ]);
    expect(throughKysely).toEqual([]);
    // Outside a batch the same prepared query goes through Kysely.
    expect(await labelOf.first(db, { id: 2 })).toEqual({ label: 'b!' });
    expect(throughKysely).toHaveLength(1);
  });

  it('goes through Kysely when the committer has no runner (PostgreSQL has none)', async () => {
    const committer = new GroupCommitter(db);
    expect(await unit(committer, 1, 'a')).toEqual({ changed: 1n, read: { label: 'a!' } });
    expect(throughKysely).toEqual(expect.arrayContaining(['SAVEPOINT unit', 'RELEASE unit', 'COMMIT']));
    expect(throughKysely.some((text) => text.startsWith('insert into "items"'))).toBe(true);
  });

  it('rolls back a failing unit alone, and marks an outage with its database', async () => {
    const committer = new GroupCommitter(db, directRunner(raw, 'sqlite test'));
    const results = await Promise.allSettled([unit(committer, 1, 'a'), unit(committer, 2, 'a'), unit(committer, 3, 'c')]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.code).toBe('SQLITE_CONSTRAINT_UNIQUE');
    expect(storageFaultOf((results[1] as PromiseRejectedResult).reason)).toBeNull();
    expect(raw.prepare('select id from items order by id').pluck().all()).toEqual([1, 3]);

    // A full database: the unit fails with SQLITE_FULL, seen as an outage of this database.
    raw.pragma(`max_page_count = ${raw.pragma('page_count', { simple: true })}`);
    const full = await committer
      .run((tx) => insertRow(tx, 'items', { id: 4, label: 'x'.repeat(100_000) }))
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(storageFaultOf(full)).toMatchObject({ code: 'SQLITE_FULL', database: 'sqlite test' });
    expect(throughKysely).toEqual([]);
  });
});
