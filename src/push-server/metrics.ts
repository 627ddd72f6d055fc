/** The push server's Prometheus metrics: pushes by provider, app and result, and latencies. */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { createMetricsRegistry } from '../platform/http/server.js';

export interface PushMetrics {
  registry: Registry;
  pushes: Counter<'provider' | 'app' | 'result'>;
  /** From ingest to the provider's answer, for delivered pushes. */
  deliveryLatency: Histogram<'provider'>;
  sendDuration: Histogram<'provider'>;
  ingested: Counter<'app' | 'status'>;
  devicesRemoved: Counter<'provider' | 'app'>;
  providerPaused: Gauge<'app' | 'provider'>;
  /** Receipt attempts by result: delivered, retry, failed (docs/design.md §Receipts). */
  receipts: Counter<'result'>;
  /** From the outcome being recorded to the receiver accepting its receipt. */
  receiptLatency: Histogram;
  receiptSendDuration: Histogram;
  receiptsWaiting: Gauge;
  oldestReceiptAge: Gauge;
}

/** Read at scrape time from the database, so any process reports the same backlog. */
export type ReceiptBacklogReader = () => Promise<{ waiting: number; oldestCreatedAt: number | null }>;

const SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 60];

/** `pausedProviders` lets the paused gauge read the database at scrape time, so any process reports it. */
export function createPushMetrics(
  registry: Registry = createMetricsRegistry('push-server'),
  pausedProviders?: () => Promise<{ app_id: string; provider: string }[]>,
  receiptBacklog?: ReceiptBacklogReader,
): PushMetrics {
  let backlog: Promise<{ waiting: number; oldestCreatedAt: number | null }> | null = null;
  // Both gauges come from one query per scrape.
  const readBacklog = () => {
    backlog ??= (receiptBacklog ?? (async () => ({ waiting: 0, oldestCreatedAt: null })))().finally(() =>
      setTimeout(() => {
        backlog = null;
      }, 100),
    );
    return backlog;
  };
  const registers = [registry];
  return {
    registry,
    pushes: new Counter({
      name: 'queuebell_pushes_total',
      help: 'Push attempts by provider, app and result',
      labelNames: ['provider', 'app', 'result'],
      registers,
    }),
    deliveryLatency: new Histogram({
      name: 'queuebell_push_delivery_seconds',
      help: 'Time from ingest to the provider accepting the push',
      labelNames: ['provider'],
      buckets: SECONDS,
      registers,
    }),
    sendDuration: new Histogram({
      name: 'queuebell_push_send_seconds',
      help: 'Duration of one request to a provider',
      labelNames: ['provider'],
      buckets: SECONDS,
      registers,
    }),
    ingested: new Counter({
      name: 'queuebell_push_messages_ingested_total',
      help: 'Messages ingested by app and status',
      labelNames: ['app', 'status'],
      registers,
    }),
    devicesRemoved: new Counter({
      name: 'queuebell_push_devices_removed_total',
      help: 'Devices removed after a definite answer from the provider',
      labelNames: ['provider', 'app'],
      registers,
    }),
    providerPaused: new Gauge({
      name: 'queuebell_push_provider_paused',
      help: "1 while an app's provider is paused by a credential error",
      labelNames: ['app', 'provider'],
      registers,
      async collect() {
        if (!pausedProviders) return;
        this.reset();
        for (const pause of await pausedProviders()) this.set({ app: pause.app_id, provider: pause.provider }, 1);
      },
    }),
    receipts: new Counter({
      name: 'queuebell_push_receipt_attempts_total',
      help: 'Receipt POSTs to sources by result (delivered, retry, failed)',
      labelNames: ['result'],
      registers,
    }),
    receiptLatency: new Histogram({
      name: 'queuebell_push_receipt_delivery_seconds',
      help: 'Time from an outcome being recorded to the source accepting its receipt',
      buckets: SECONDS,
      registers,
    }),
    receiptSendDuration: new Histogram({
      name: 'queuebell_push_receipt_send_seconds',
      help: 'Duration of one receipt POST',
      buckets: SECONDS,
      registers,
    }),
    receiptsWaiting: new Gauge({
      name: 'queuebell_push_receipts_waiting',
      help: 'Receipts not yet accepted by their source',
      registers,
      async collect() {
        if (receiptBacklog) this.set((await readBacklog()).waiting);
      },
    }),
    oldestReceiptAge: new Gauge({
      name: 'queuebell_push_oldest_waiting_receipt_age_seconds',
      help: 'Age of the oldest receipt not yet accepted by its source (0 when none waits)',
      registers,
      async collect() {
        if (!receiptBacklog) return;
        const { oldestCreatedAt } = await readBacklog();
        this.set(oldestCreatedAt === null ? 0 : Math.max(0, (Date.now() - oldestCreatedAt) / 1000));
      },
    }),
  };
}
