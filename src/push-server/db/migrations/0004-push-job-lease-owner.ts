import type { Kysely } from 'kysely';

/**
 * Who holds a sending job's lease (docs/design.md §Workers): the push worker renews its own leases
 * while pushes are in flight, and on PostgreSQL others take over at once the leases of a worker whose
 * liveness lock is free. Null for a job nobody holds.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('push_jobs').addColumn('lease_owner', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('push_jobs').dropColumn('lease_owner').execute();
}
