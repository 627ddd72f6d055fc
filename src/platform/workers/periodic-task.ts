/**
 * Housekeeping on a timer (retention purges, the push server's expiry): one run at a time, a
 * failure logged and left to the next run, and a stop that waits for the run in progress. The
 * timers are unref'd: housekeeping never keeps a process alive.
 */
import type { Logger } from 'pino';

export interface PeriodicTask {
  stop(): Promise<void>;
}

export interface PeriodicTaskOptions {
  everyMs: number;
  /** The first run; a start has better things to do first. Default: one period. */
  firstAfterMs?: number;
  run(): Promise<void>;
  logger: Pick<Logger, 'warn'>;
  /** The log line of a failed run. */
  failure: string;
}

export function startPeriodicTask(options: PeriodicTaskOptions): PeriodicTask {
  let running: Promise<void> | null = null;
  const tick = () => {
    running ??= options
      .run()
      .catch((error: unknown) => options.logger.warn({ err: error }, options.failure))
      .finally(() => {
        running = null;
      });
  };
  const first = setTimeout(tick, options.firstAfterMs ?? options.everyMs);
  const every = setInterval(tick, options.everyMs);
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
