/**
 * The queue service's own Prometheus metrics about reaching people (docs/design.md §Receipts,
 * §Fallback): receipts by outcome, the time from a ticket change to the provider accepting its push,
 * and fallback decisions by reason. One set per database (the service's identity in a process that
 * runs several, as tests do), registered into each /metrics registry the service serves.
 */
import { Counter, Gauge, Histogram, type Metric, type Registry } from 'prom-client';
import { countDecisions } from './db/queries/fallback-decisions.js';
import type { QueueServiceDeps } from './deps.js';

export interface QueueMetrics {
  receipts: Counter<'outcome'>;
  changeToProviderAccepted: Histogram;
  /** Read from the decisions table at scrape time, so every process reports every decision. */
  fallbacks: Gauge<'decision' | 'reason'>;
  /** Adds every metric of the set to a registry that /metrics serves. */
  attach(registry: Registry): void;
}

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

const sets = new WeakMap<object, QueueMetrics>();

export function queueMetricsOf(deps: Pick<QueueServiceDeps, 'database'>): QueueMetrics {
  let metrics = sets.get(deps.database);
  if (!metrics) {
    const { database } = deps;
    metrics = createQueueMetrics(() => countDecisions(database.db));
    sets.set(deps.database, metrics);
  }
  return metrics;
}

function createQueueMetrics(decisions: () => Promise<{ decision: string; reason: string; n: number }[]>): QueueMetrics {
  const receipts = new Counter({
    name: 'queuebell_receipts_received_total',
    help: 'Delivery receipts from push servers by outcome (pushed, failed, token_invalid, no_devices, unknown_push_id, expired)',
    labelNames: ['outcome'],
    registers: [],
  });
  const changeToProviderAccepted = new Histogram({
    name: 'queuebell_change_to_provider_accepted_seconds',
    help: "Time from a ticket change to the push provider accepting its push, as the push server's receipt reports it",
    buckets: SECONDS,
    registers: [],
  });
  const fallbacks = new Gauge({
    name: 'queuebell_fallbacks_total',
    help: 'SMS fallback decisions by decision (sent, skipped) and reason, since the decisions table began',
    labelNames: ['decision', 'reason'],
    registers: [],
    async collect() {
      this.reset();
      for (const row of await decisions()) this.set({ decision: row.decision, reason: row.reason }, row.n);
    },
  });
  const all: Metric[] = [receipts, changeToProviderAccepted, fallbacks] as Metric[];
  return {
    receipts,
    changeToProviderAccepted,
    fallbacks,
    attach: (registry) => {
      for (const metric of all) registry.registerMetric(metric);
    },
  };
}
