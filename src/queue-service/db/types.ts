import type { Kysely, Transaction } from 'kysely';
import type { QueueServiceSchema } from './schema.js';

/** A connection or a transaction: query functions accept either, so callers decide the boundary. */
export type QueueDb = Kysely<QueueServiceSchema> | Transaction<QueueServiceSchema>;
