/**
 * "Delivery stalled" (docs/design.md §Faults): messages are due, and no dispatcher has recorded an
 * outcome for longer than the setting allows — every worker stopped, hung, or cannot claim. The
 * database is the one place all dispatchers of all processes meet, so the check reads it there;
 * /readyz turns a stall into 503 and /metrics shows the oldest due message's age.
 */
import { Gauge, type Registry } from 'prom-client';
import type { Clock } from '../../platform/clock.js';
import type { QueueDb } from '../db/types.js';
import type { QueueServiceDeps } from '../deps.js';
import { lastDispatchProgress, oldestDueMessageAt } from '../db/queries/dispatch-progress.js';

export interface DeliveryProgress {
  /** How long the longest-waiting due message has waited, in ms; 0 when none waits. */
  oldestDueAgeMs: number;
  /** Since the last recorded outcome, in ms; null when no dispatcher ever recorded one. */
  sinceProgressMs: number | null;
  stalled: boolean;
}

async function deliveryProgress(db: QueueDb, clock: Clock, stallAfterMs: number): Promise<DeliveryProgress> {
  const now = clock.now();
  const [dueAt, progressAt] = await Promise.all([oldestDueMessageAt(db, now), lastDispatchProgress(db)]);
  const oldestDueAgeMs = dueAt === null ? 0 : now - dueAt;
  const sinceProgressMs = progressAt === null ? null : now - progressAt;
  // A message due for less than the allowance is not yet a stall, whatever the last progress.
  const stalled = oldestDueAgeMs > stallAfterMs && (sinceProgressMs === null || sinceProgressMs > stallAfterMs);
  return { oldestDueAgeMs, sinceProgressMs, stalled };
}

/** The readiness line of a stall, or null while delivery moves. */
function stallFailure(progress: DeliveryProgress): string | null {
  if (!progress.stalled) return null;
  const since = progress.sinceProgressMs === null ? 'ever' : `for ${Math.round(progress.sinceProgressMs / 1000)} s`;
  return `delivery stalled: messages have waited ${Math.round(progress.oldestDueAgeMs / 1000)} s and no dispatcher has recorded an outcome ${since}.`;
}

/** Gauges read at scrape time, so they show the state every dispatcher shares; a failed read leaves the last value. */
export function registerDeliveryGauges(registry: Registry, read: () => Promise<DeliveryProgress>): void {
  new Gauge({
    name: 'queuebell_delivery_oldest_due_message_age_seconds',
    help: 'How long the longest-waiting message due for delivery has waited; 0 when none waits.',
    registers: [registry],
    async collect() {
      const progress = await read().catch(() => null);
      if (progress) this.set(progress.oldestDueAgeMs / 1000);
    },
  });
  new Gauge({
    name: 'queuebell_delivery_stalled',
    help: '1 while messages wait and no dispatcher has recorded an outcome for longer than QUEUEBELL_DELIVERY_STALL_SECONDS.',
    registers: [registry],
    async collect() {
      const progress = await read().catch(() => null);
      if (progress) this.set(progress.stalled ? 1 : 0);
    },
  });
}

/**
 * Readiness of a process that runs a dispatcher: the database takes writes, and delivery moves.
 * An API-only process leaves the stall out of its readiness: taking the API out of rotation would
 * not restart a dispatcher elsewhere; its /metrics still show it.
 */
export function dispatcherReadiness(deps: QueueServiceDeps): () => Promise<string | null> {
  return async () => {
    await deps.database.checkWritable();
    return stallFailure(await deliveryProgressOf(deps));
  };
}

export function deliveryProgressOf(deps: QueueServiceDeps): Promise<DeliveryProgress> {
  return deliveryProgress(deps.database.db, deps.clock, deps.config.deliveryStallSeconds * 1000);
}
