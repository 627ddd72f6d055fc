/**
 * Retention on its own (docs/design.md §Retention): the process that runs the scheduler also
 * purges every hour. Several processes purging at once is harmless: a row is erased once.
 */
import type { QueueServiceDeps } from '../deps.js';
import { purgeExpiredPersonalData } from './erase.js';

const PURGE_EVERY_MS = 3_600_000;
/** The first purge waits a little: a start has better things to do first. */
const FIRST_PURGE_AFTER_MS = 60_000;

export function startPurgeTimer(deps: Pick<QueueServiceDeps, 'database' | 'clock' | 'logger'>): { stop(): Promise<void> } {
  let running: Promise<void> | null = null;
  const purge = () => {
    running ??= purgeExpiredPersonalData(deps)
      .then(
        (erased) => {
          if (erased.tickets + erased.messages > 0) deps.logger.info({ erased }, 'personal data past its retention erased');
        },
        (error: unknown) => deps.logger.warn({ err: error }, 'retention purge failed; trying again in an hour'),
      )
      .finally(() => {
        running = null;
      });
  };
  const first = setTimeout(purge, FIRST_PURGE_AFTER_MS);
  const every = setInterval(purge, PURGE_EVERY_MS);
  first.unref();
  every.unref();
  return {
    async stop() {
      clearTimeout(first);
      clearInterval(every);
      await running;
    },
  };
}
