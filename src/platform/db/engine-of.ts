import { PostgresAdapter, type Kysely } from 'kysely';
import type { Engine } from './database.js';

/** The engine behind a Kysely instance or transaction, for the few places where SQL differs. */
export function engineOf(db: Kysely<any>): Engine {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}
