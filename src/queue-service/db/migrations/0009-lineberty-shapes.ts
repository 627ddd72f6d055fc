/**
 * The shapes Lineberty integrators read (docs/lineberty.md):
 * - places: names per locale, city, zip, country and a position;
 * - queues: names per locale, and the subplace or category they belong to;
 * - subplaces and categories of a place (a place has one or the other, never both).
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('places')
    .addColumn('names', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  for (const column of ['city', 'zip', 'country']) await db.schema.alterTable('places').addColumn(column, 'text').execute();
  for (const column of ['lat', 'lng']) await db.schema.alterTable('places').addColumn(column, 'double precision').execute();
  await db.schema
    .alterTable('queues')
    .addColumn('names', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();

  for (const table of ['subplaces', 'categories']) {
    await db.schema
      .createTable(table)
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id').onDelete('cascade'))
      .addColumn('place_id', 'text', (c) => c.notNull().references('places.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('names', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex(`${table}_place`).on(table).columns(['place_id', 'created_at']).execute();
  }
  await db.schema.alterTable('queues').addColumn('subplace_id', 'text').execute();
  await db.schema.alterTable('queues').addColumn('category_id', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const column of ['category_id', 'subplace_id', 'names']) await db.schema.alterTable('queues').dropColumn(column).execute();
  for (const table of ['categories', 'subplaces']) await db.schema.dropTable(table).ifExists().execute();
  for (const column of ['lng', 'lat', 'country', 'zip', 'city', 'names']) await db.schema.alterTable('places').dropColumn(column).execute();
}
