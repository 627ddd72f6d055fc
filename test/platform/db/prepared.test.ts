import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { openDatabase, type Database } from '../../../src/platform/db/database.js';
import { insertRow, insertRowAndNotify, prepared, preparedPer, updateRows, type Placeholders } from '../../../src/platform/db/prepared.js';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../../support/engines.js';

interface Schema {
  items: { id: string; label: string; size: number | null; kind: string };
}

const byKind = prepared((db: Kysely<Schema>, p: Placeholders<{ kind: string; minSize: number }>) =>
  db
    .selectFrom('items')
    .select(['id', 'size'])
    .where('kind', '=', p.kind)
    .where('size', '>=', p.minSize)
    .where('label', '!=', 'hidden')
    .orderBy('id'),
);

describeEachEngine('prepared queries', (engine) => {
  let testDb: TestDatabase;
  let database: Database<Schema>;
  beforeAll(async () => {
    testDb = await createTestDatabase(engine);
    database = openDatabase<Schema>({ target: testDb.target });
    await sql`create table items (id text primary key, label text not null, size integer, kind text not null)`.execute(database.db);
  });
  afterAll(async () => {
    await database.close();
    await testDb.drop();
  });

  it('insert rows of different column sets, leaving undefined columns out', async () => {
    await insertRow(database.db, 'items', { id: 'a', label: 'first', size: 3, kind: 'x' });
    await insertRow(database.db, 'items', { id: 'b', label: 'second', size: undefined, kind: 'x' });
    await insertRow(database.db, 'items', { kind: 'y', label: 'hidden', id: 'c', size: 9 });
    await insertRow(database.db, 'items', { id: 'd', label: 'fourth', size: 7, kind: 'y' });
    const rows = await database.db.selectFrom('items').selectAll().orderBy('id').execute();
    expect(rows).toEqual([
      { id: 'a', label: 'first', size: 3, kind: 'x' },
      { id: 'b', label: 'second', size: null, kind: 'x' },
      { id: 'c', label: 'hidden', size: 9, kind: 'y' },
      { id: 'd', label: 'fourth', size: 7, kind: 'y' },
    ]);
  });

  it('bind each call its own values, keeping the literal ones of the query', async () => {
    expect(await byKind.rows(database.db, { kind: 'x', minSize: 0 })).toEqual([{ id: 'a', size: 3 }]);
    expect(await byKind.rows(database.db, { kind: 'y', minSize: 0 })).toEqual([{ id: 'd', size: 7 }]);
    expect(await byKind.first(database.db, { kind: 'y', minSize: 8 })).toBeUndefined();
  });

  it('work inside a transaction', async () => {
    await database.transaction(async (db) => {
      await insertRow(db, 'items', { id: 'e', label: 'fifth', size: 11, kind: 'y' });
      expect((await byKind.rows(db, { kind: 'y', minSize: 10 })).map((row) => row.id)).toEqual(['e']);
    });
  });

  it('update only the rows their key columns pick, setting each call its own columns', async () => {
    expect(await updateRows(database.db, 'items', { size: 4, label: undefined }, { id: 'a', kind: 'x' })).toBe(1n);
    expect(await updateRows(database.db, 'items', { label: 'renamed' }, { id: 'a', kind: 'y' })).toBe(0n);
    expect(await updateRows(database.db, 'items', { size: 5 }, { id: 'b', kind: 'x' })).toBe(1n);
    expect(await updateRows(database.db, 'items', { label: 'both', size: null }, { kind: 'x' })).toBe(2n);
    const rows = await database.db.selectFrom('items').select(['id', 'label', 'size']).where('kind', '=', 'x').orderBy('id').execute();
    expect(rows).toEqual([
      { id: 'a', label: 'both', size: null },
      { id: 'b', label: 'both', size: null },
    ]);
    expect(await database.db.selectFrom('items').select('label').where('id', '=', 'd').executeTakeFirst()).toEqual({ label: 'fourth' });
  });

  it('keep one prepared query per value that must be in the SQL, such as a LIMIT', async () => {
    const firstOfKind = preparedPer((limit: number) =>
      prepared((db: Kysely<Schema>, p: Placeholders<{ kind: string }>) =>
        db.selectFrom('items').select('id').where('kind', '=', p.kind).orderBy('id').limit(limit),
      ),
    );
    expect(firstOfKind(1)).toBe(firstOfKind(1));
    expect(firstOfKind(2)).not.toBe(firstOfKind(1));
    expect(await firstOfKind(1).rows(database.db, { kind: 'y' })).toHaveLength(1);
    expect(await firstOfKind(2).rows(database.db, { kind: 'y' })).toHaveLength(2);
  });

  it.skipIf(engine !== 'postgres')('insert a row and NOTIFY in one statement, heard at commit (PostgreSQL)', async () => {
    const listener = await database.pgPool!.connect();
    const heard: string[] = [];
    listener.on('notification', (message) => heard.push(message.channel));
    try {
      await listener.query('listen prepared_test');
      await database.transaction(async (db) => {
        await insertRowAndNotify(db, 'items', { id: 'n1', label: 'notified', size: undefined, kind: 'n' }, 'prepared_test');
        await insertRowAndNotify(db, 'items', { id: 'n2', label: 'notified', size: 2, kind: 'n' }, 'prepared_test');
        await listener.query('select 1');
        expect(heard).toEqual([]);
      });
      // Listening on the same server: a round trip after the commit lets the notification arrive.
      await listener.query('select 1');
      // Both in one transaction: PostgreSQL folds identical notifications into one.
      expect(heard).toEqual(['prepared_test']);
      const rows = await database.db.selectFrom('items').select(['id', 'size']).where('kind', '=', 'n').orderBy('id').execute();
      expect(rows).toEqual([
        { id: 'n1', size: null },
        { id: 'n2', size: 2 },
      ]);
    } finally {
      await listener.query('unlisten prepared_test');
      listener.release();
    }
  });
});
