/**
 * Retention on its own (docs/design.md §Retention): the process that runs the scheduler also
 * purges every hour. Several processes purging at once is harmless: a row is erased once.
 */
import { startPeriodicTask, type PeriodicTask } from '../../platform/workers/periodic-task.js';
import type { QueueServiceDeps } from '../deps.js';
import { purgeExpiredPersonalData } from './erase.js';

const PURGE_EVERY_MS = 3_600_000;
/** The first purge waits a little: a start has better things to do first. */
const FIRST_PURGE_AFTER_MS = 60_000;

export function startPurgeTimer(deps: Pick<QueueServiceDeps, 'database' | 'clock' | 'logger'>): PeriodicTask {
  return startPeriodicTask({
    everyMs: PURGE_EVERY_MS,
    firstAfterMs: FIRST_PURGE_AFTER_MS,
    logger: deps.logger,
    failure: 'retention purge failed; trying again in an hour',
    run: async () => {
      const erased = await purgeExpiredPersonalData(deps);
      if (erased.tickets + erased.messages > 0) deps.logger.info({ erased }, 'personal data past its retention erased');
    },
  });
}
