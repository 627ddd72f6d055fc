/**
 * Two Lineberty shapes (docs/lineberty.md §Place, docs/lineberty/auth.md §Roles):
 * - a category belongs to a place or to one of its subplaces (`categories.subplace_id`);
 * - an operator's role may differ per queue (`operator_queue_roles`: the whole role for that queue).
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('categories')
    .addColumn('subplace_id', 'text', (c) => c.references('subplaces.id').onDelete('cascade'))
    .execute();
  await db.schema.createIndex('categories_subplace').on('categories').column('subplace_id').execute();

  await db.schema
    .createTable('operator_queue_roles')
    .addColumn('operator_id', 'text', (c) => c.notNull().references('operators.id').onDelete('cascade'))
    .addColumn('queue_id', 'text', (c) => c.notNull().references('queues.id').onDelete('cascade'))
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id').onDelete('cascade'))
    .addColumn('roles', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('operator_queue_roles_pk', ['operator_id', 'queue_id'])
    .execute();
  await db.schema.createIndex('operator_queue_roles_queue').on('operator_queue_roles').column('queue_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('operator_queue_roles').ifExists().execute();
  await db.schema.dropIndex('categories_subplace').ifExists().execute();
  await db.schema.alterTable('categories').dropColumn('subplace_id').execute();
}
