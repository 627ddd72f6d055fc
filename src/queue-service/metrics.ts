/**
 * The queue service's own Prometheus metrics about reaching people (docs/design.md §Receipts,
 * §Fallback, §Delivery): receipts by outcome, the time from a ticket change to the provider
 * accepting its push, fallback decisions by reason, and the dispatcher's attempts, endings and
 * open breakers. One set per database (the service's identity in a process that
 * runs several, as tests do), registered into each /metrics registry the service serves.
 */
import { Counter, Gauge, Histogram, type Metric, type Registry } from 'prom-client';
import { countDecisions } from './db/queries/fallback-decisions.js';
import { waitingByDestination } from './db/queries/messages.js';
import type { QueueServiceDeps } from './deps.js';

/** What the dispatcher's record stage reports (dispatch/recorder.ts). */
export interface RecordedDelivery {
  channel: string;
  outcome: string;
  status: string;
  createdAt: number;
  deliveredAt: number | null;
}

export interface QueueMetrics {
  /** Attempts by channel and outcome kind; deliveries' latency; expirations (docs/design.md §Delivery). */
  recordDeliveries(deliveries: readonly RecordedDelivery[]): void;
  /** Messages a claim closed without sending: superseded by a newer state of their ticket, or past their deadline. */
  recordClosedUnsent(counts: { superseded: number; expired: number }): void;
  /** A dispatcher's open breakers (their routes), read at scrape time; returns the way to stop reading them. */
  watchBreakers(openRoutes: () => readonly string[]): () => void;
  receipts: Counter<'outcome'>;
  changeToProviderAccepted: Histogram;
  /** Read from the decisions table at scrape time, so every process reports every decision. */
  fallbacks: Gauge<'decision' | 'reason' | 'channel'>;
  waiting: Gauge<'destination'>;
  oldestWaitingAge: Gauge<'destination'>;
  /** Adds every metric of the set to a registry that /metrics serves. */
  attach(registry: Registry): void;
  /** Adds the dispatcher's own metrics only: a dispatcher thread's registry, whose metrics the API's /metrics adds up. */
  attachDispatcher(registry: Registry): void;
}

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

const sets = new WeakMap<object, QueueMetrics>();

export function queueMetricsOf(deps: Pick<QueueServiceDeps, 'database'>): QueueMetrics {
  let metrics = sets.get(deps.database);
  if (!metrics) {
    const { database } = deps;
    metrics = createQueueMetrics(
      () => countDecisions(database.db),
      () => waitingByDestination(database.db),
    );
    sets.set(deps.database, metrics);
  }
  return metrics;
}

type WaitingReader = () => Promise<{ destination: string; waiting: number; oldestCreatedAt: number }[]>;

function createQueueMetrics(
  decisions: () => Promise<{ decision: string; reason: string; channel: string | null; n: number }[]>,
  readWaiting: WaitingReader,
): QueueMetrics {
  let waitingRead: ReturnType<WaitingReader> | null = null;
  // Both waiting gauges come from one query per scrape.
  const waitingNow = () => {
    waitingRead ??= readWaiting().finally(() =>
      setTimeout(() => {
        waitingRead = null;
      }, 100),
    );
    return waitingRead;
  };
  const attempts = new Counter({
    name: 'queuebell_delivery_attempts_total',
    help: 'Delivery attempts and decisions by channel and outcome (delivered, retry_later, rejected, gone, expired_on_arrival, not_sent)',
    labelNames: ['channel', 'outcome'],
    registers: [],
  });
  const deliveryLatency = new Histogram({
    name: 'queuebell_delivery_seconds',
    help: 'Time from a message being committed to its receiver accepting it, by channel',
    labelNames: ['channel'],
    buckets: SECONDS,
    registers: [],
  });
  const ended = new Counter({
    name: 'queuebell_messages_ended_total',
    help: 'Messages ended by the dispatcher by channel and status (delivered, failed, expired)',
    labelNames: ['channel', 'status'],
    registers: [],
  });
  const waiting = new Gauge({
    name: 'queuebell_messages_waiting',
    help: 'Messages pending or being delivered, by destination (webhook id, sms, email)',
    labelNames: ['destination'],
    registers: [],
    async collect() {
      this.reset();
      for (const row of await waitingNow()) this.set({ destination: row.destination }, row.waiting);
    },
  });
  const oldestWaitingAge = new Gauge({
    name: 'queuebell_messages_oldest_waiting_age_seconds',
    help: 'Age of the oldest message pending or being delivered, by destination',
    labelNames: ['destination'],
    registers: [],
    async collect() {
      this.reset();
      const now = Date.now();
      for (const row of await waitingNow()) this.set({ destination: row.destination }, Math.max(0, (now - row.oldestCreatedAt) / 1000));
    },
  });
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
    help: 'Fallback decisions by decision (sent, skipped), reason and channel (sms, email, none), since the decisions table began',
    labelNames: ['decision', 'reason', 'channel'],
    registers: [],
    async collect() {
      this.reset();
      for (const row of await decisions()) this.set({ decision: row.decision, reason: row.reason, channel: row.channel ?? 'none' }, row.n);
    },
  });
  const closedUnsent = new Counter({
    name: 'queuebell_messages_closed_unsent_total',
    help: 'Messages closed before any attempt, by status: superseded (a newer state of the same ticket replaced them) or expired (past their deadline)',
    labelNames: ['status'],
    registers: [],
  });
  const breakerSources = new Set<() => readonly string[]>();
  const breakersOpen = new Gauge({
    name: 'queuebell_delivery_breaker_open',
    help: 'Routes whose circuit breaker is open or probing (1): a webhook destination id, channel:sms or channel:email',
    labelNames: ['route'],
    registers: [],
    collect() {
      this.reset();
      for (const openRoutes of breakerSources) for (const route of openRoutes()) this.set({ route }, 1);
    },
  });
  const dispatcherMetrics: Metric[] = [attempts, deliveryLatency, ended, closedUnsent, breakersOpen] as Metric[];
  const all: Metric[] = [receipts, changeToProviderAccepted, fallbacks, waiting, oldestWaitingAge, ...dispatcherMetrics] as Metric[];
  return {
    recordDeliveries: (deliveries) => {
      for (const d of deliveries) {
        attempts.inc({ channel: d.channel, outcome: d.outcome });
        if (d.status === 'delivered' || d.status === 'failed' || d.status === 'expired')
          ended.inc({ channel: d.channel, status: d.status });
        if (d.deliveredAt !== null) deliveryLatency.observe({ channel: d.channel }, Math.max(0, d.deliveredAt - d.createdAt) / 1000);
      }
    },
    recordClosedUnsent: ({ superseded, expired }) => {
      if (superseded > 0) closedUnsent.inc({ status: 'superseded' }, superseded);
      if (expired > 0) closedUnsent.inc({ status: 'expired' }, expired);
    },
    watchBreakers: (openRoutes) => {
      breakerSources.add(openRoutes);
      return () => breakerSources.delete(openRoutes);
    },
    waiting,
    oldestWaitingAge,
    receipts,
    changeToProviderAccepted,
    fallbacks,
    attach: (registry) => {
      for (const metric of all) registry.registerMetric(metric);
    },
    attachDispatcher: (registry) => {
      for (const metric of dispatcherMetrics) registry.registerMetric(metric);
    },
  };
}
