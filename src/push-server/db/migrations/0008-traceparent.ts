/**
 * push_jobs.traceparent: the ingest request's trace context, continued by the push and its provider
 * request; receipts.traceparent: the push's, continued by the receipt POST (docs/design.md §Traces).
 * Null when tracing was off.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('push_jobs').addColumn('traceparent', 'text').execute();
  await db.schema.alterTable('receipts').addColumn('traceparent', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('receipts').dropColumn('traceparent').execute();
  await db.schema.alterTable('push_jobs').dropColumn('traceparent').execute();
}
