import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { openDatabase, type Database } from '../../../src/platform/db/database.js';
import { prepared, type Placeholders } from '../../../src/platform/db/prepared.js';

interface Schema {
  items: { id: number };
}

const fromOffset = prepared((db: Kysely<Schema>, p: Placeholders<{ skip: number }>) =>
  db.selectFrom('items').select('id').orderBy('id').limit(2).offset(p.skip),
);

describe('integer LIMIT and OFFSET on SQLite', () => {
  let database: Database<Schema>;
  beforeAll(async () => {
    database = openDatabase<Schema>({ target: ':memory:' });
    await sql`create table items (id integer primary key)`.execute(database.db);
    await database.db
      .insertInto('items')
      .values([1, 2, 3, 4, 5].map((id) => ({ id })))
      .execute();
  });
  afterAll(() => database.close());

  it('are written into the SQL, so SQLite keeps the prepared statement, and still select the right rows', async () => {
    const query = database.db.selectFrom('items').select('id').where('id', '>', 0).orderBy('id').limit(2).offset(1);
    const compiled = query.compile();
    expect(compiled.sql).toMatch(/ limit 2 offset 1$/);
    expect(compiled.parameters).toEqual([0]);
    expect((await query.execute()).map((row) => row.id)).toEqual([2, 3]);
  });

  it('stay bound when they are not non-negative safe integers', () => {
    for (const value of [-1, 1.5, 2 ** 53]) {
      const compiled = database.db.selectFrom('items').select('id').limit(value).compile();
      expect(compiled.sql).toMatch(/ limit \?$/);
      expect(compiled.parameters).toEqual([value]);
    }
  });

  it('leave a prepared query’s placeholder bound, filled at each run', async () => {
    expect((await fromOffset.rows(database.db, { skip: 3 })).map((row) => row.id)).toEqual([4, 5]);
    expect((await fromOffset.rows(database.db, { skip: 0 })).map((row) => row.id)).toEqual([1, 2]);
  });
});
