import type { Logger } from 'pino';
import type { Clock } from '../platform/clock.js';
import type { Config } from '../platform/config.js';
import type { Signal } from '../platform/signal.js';
import type { QueueDatabase } from './db/connect.js';

/** Everything the queue service's parts need, built once by main.ts (or a test) and passed down. */
export interface QueueServiceDeps {
  database: QueueDatabase;
  clock: Clock;
  config: Config & { adminToken: string; masterKey: string };
  logger: Logger;
  /** Notified after a transaction that wrote outbox messages commits, so an in-process dispatcher wakes. */
  outboxSignal: Signal;
  /** Readers of what background threads count (the dispatcher's), added up into this process's /metrics. */
  threadMetrics?: (() => Promise<unknown[]>)[];
}

/** What /metrics adds to its own registry: the counts of the process's background threads, if any. */
export function threadMetricsOf(deps: QueueServiceDeps): (() => Promise<unknown[][]>) | undefined {
  const readers = deps.threadMetrics;
  return readers ? () => Promise.all(readers.map((read) => read())) : undefined;
}
