import type { Kysely } from 'kysely';
import { openDatabase, type Database } from '../../platform/db/database.js';
import { migrateToLatest } from '../../platform/db/migrate.js';
import { PUSH_HEARTBEAT_TABLE } from './migrations/0003-heartbeat.js';
import { pushServerMigrations } from './migrations/index.js';
import type { PushServerSchema } from './schema.js';

export type PushDatabase = Database<PushServerSchema>;

export function openPushDatabase(target: string, poolSize?: number, checkpoint = true): PushDatabase {
  return openDatabase<PushServerSchema>({ target, poolSize, heartbeatTable: PUSH_HEARTBEAT_TABLE, checkpoint });
}

export function migratePushDatabase(database: PushDatabase): Promise<string[]> {
  return migrateToLatest(database.db, pushServerMigrations, 'queuebell_push_migrations');
}

/** A handle or a transaction: every query function takes either. */
export type PushDb = Kysely<PushServerSchema>;
