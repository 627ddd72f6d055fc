import { openDatabase, type Database } from '../../platform/db/database.js';
import { migrateToLatest } from '../../platform/db/migrate.js';
import { QUEUE_HEARTBEAT_TABLE } from './migrations/0004-heartbeat.js';
import { queueServiceMigrations } from './migrations/index.js';
import type { QueueServiceSchema } from './schema.js';

export type QueueDatabase = Database<QueueServiceSchema>;

export function openQueueDatabase(target: string, poolSize?: number, checkpoint = true): QueueDatabase {
  return openDatabase<QueueServiceSchema>({ target, poolSize, heartbeatTable: QUEUE_HEARTBEAT_TABLE, checkpoint });
}

export function migrateQueueDatabase(database: QueueDatabase): Promise<string[]> {
  return migrateToLatest(database.db, queueServiceMigrations, 'queuebell_queue_migrations');
}
