import type { Migration } from 'kysely';
import * as initial from './0001-initial.js';
import * as fewerHistoryIndexes from './0002-fewer-history-indexes.js';
import * as heartbeat from './0003-heartbeat.js';
import * as pushJobLeaseOwner from './0004-push-job-lease-owner.js';
import * as receipts from './0006-receipts.js';
import * as pushIdsUnique from './0007-push-ids-unique.js';
import * as traceparent from './0008-traceparent.js';

/** Every migration of the push server, in order; names sort as they apply. */
export const pushServerMigrations: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-fewer-history-indexes': fewerHistoryIndexes,
  '0003-heartbeat': heartbeat,
  '0004-push-job-lease-owner': pushJobLeaseOwner,
  '0006-receipts': receipts,
  '0007-push-ids-unique': pushIdsUnique,
  '0008-traceparent': traceparent,
};
