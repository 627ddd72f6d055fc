/**
 * The push server's retention (docs/design.md §Retention): messages, finished pushes and finished
 * receipts older than the retention go, a batch per statement so the SQLite writer is never held
 * for long. Pushes still waiting or on their way stay however old (expiry ends them first), and so
 * do pushIds and devices, which live until they are deleted or their provider says they are gone.
 * Run hourly beside the push worker (run-worker.ts) and by `queuebell purge`.
 */
import { startPeriodicTask, type PeriodicTask } from '../../platform/workers/periodic-task.js';
import type { PushDeps } from '../deps.js';
import { deleteMessagesReceivedBefore } from '../db/queries/messages.js';
import { deleteFinishedJobsBefore } from '../db/queries/push-jobs.js';
import { deleteFinishedReceiptsBefore } from '../db/queries/receipts.js';

export interface PushPurged {
  messages: number;
  pushes: number;
  receipts: number;
}

const DAY_MS = 86_400_000;
/** Rows deleted per statement: a few milliseconds of the writer each. */
const PURGE_BATCH = 1_000;
const PURGE_EVERY_MS = 3_600_000;
/** The first purge waits a little: a start has better things to do first. */
const FIRST_PURGE_AFTER_MS = 60_000;

type Deps = Pick<PushDeps, 'db' | 'clock' | 'retentionDays'>;

export async function purgePushHistory(deps: Deps, batch = PURGE_BATCH): Promise<PushPurged> {
  const before = deps.clock.now() - deps.retentionDays * DAY_MS;
  return {
    pushes: await inBatches((limit) => deleteFinishedJobsBefore(deps.db, before, limit), batch),
    messages: await inBatches((limit) => deleteMessagesReceivedBefore(deps.db, before, limit), batch),
    receipts: await inBatches((limit) => deleteFinishedReceiptsBefore(deps.db, before, limit), batch),
  };
}

async function inBatches(deleteUpTo: (limit: number) => Promise<number>, batch: number): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await deleteUpTo(batch);
    total += deleted;
    if (deleted < batch) return total;
  }
}

export function startPushPurgeTimer(deps: Deps & Pick<PushDeps, 'logger'>): PeriodicTask {
  return startPeriodicTask({
    everyMs: PURGE_EVERY_MS,
    firstAfterMs: FIRST_PURGE_AFTER_MS,
    logger: deps.logger,
    failure: 'push history purge failed; trying again in an hour',
    run: async () => {
      const purged = await purgePushHistory(deps);
      if (purged.messages + purged.pushes + purged.receipts > 0) deps.logger.info({ purged }, 'push history past its retention deleted');
    },
  });
}
