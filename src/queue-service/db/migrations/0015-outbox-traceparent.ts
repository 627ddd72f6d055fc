/**
 * messages.traceparent: the W3C trace context of the change that wrote the row (docs/design.md
 * §Traces), so the dispatcher's webhook continues that trace. Null when tracing was off.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('messages').addColumn('traceparent', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('messages').dropColumn('traceparent').execute();
}
