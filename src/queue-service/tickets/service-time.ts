/**
 * Service time behind estimates: each ticket served (in progress → done) adds its time
 * per person to the queue's exponentially weighted moving average. Only real services count: a
 * ticket canceled while served, or a recall's waiting, never reaches here.
 */
import type { Ticket } from '../db/schema.js';
import type { QueueDb } from '../db/types.js';
import { recordServiceSample } from '../db/queries/service-times.js';

/** Weight of the newest service: recent enough to follow a slowing desk, calm enough to ignore one odd visit. */
const SERVICE_AVERAGE_WEIGHT = 0.2;
/** A service shorter than this was clicked through, longer was left open: neither says how long serving takes. */
const SERVICE_SAMPLE_BOUNDS_MS = { min: 1_000, max: 4 * 3_600_000 } as const;

export async function recordServiceTime(db: QueueDb, ticket: Ticket, now: number): Promise<void> {
  if (ticket.in_progress_at === null) return;
  const duration = now - Number(ticket.in_progress_at);
  if (duration < SERVICE_SAMPLE_BOUNDS_MS.min || duration > SERVICE_SAMPLE_BOUNDS_MS.max) return;
  await recordServiceSample(db, ticket.queue_id, duration / Math.max(1, ticket.group_size), SERVICE_AVERAGE_WEIGHT, now);
}
