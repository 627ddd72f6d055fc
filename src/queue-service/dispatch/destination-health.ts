/**
 * Destination health in the database, where every worker and the company see it: a
 * failing streak starts `failing_since`, any success ends it, and a destination failing for
 * HEALTH.disableAfterMs is disabled with the reason written down — its waiting messages fail at once
 * and `GET /admin/companies/{id}/delivery-health` shows it. A 410 Gone disables at once. A receiver
 * that refuses our timestamps (401 STALE_TIMESTAMP) fails as "clock skew" with the offset it measured,
 * logged once per streak: no retry can help until a clock is set right, and nothing else would say so.
 */
import type { Logger } from 'pino';
import { toIso } from '../../platform/clock.js';
import type { QueueDb } from '../db/types.js';
import { failWaitingForDestination } from '../db/queries/message-claims.js';
import { disableWebhook, recordWebhookFailures, recordWebhookSuccess } from '../db/queries/webhooks.js';
import { HEALTH } from './policy.js';

/** What a flush saw of one destination, in order. */
export interface HealthReport {
  failures: number;
  lastFailure: string | null;
  /** The last outcome was a success (the streak, if any, ended). */
  endedHealthy: boolean;
  gone: string | null;
  /** The last failure was clock skew: the receiver's clock minus ours, as it measured it. */
  clockOffsetMs: number | null;
}

export class DestinationHealth {
  /** When this worker last wrote a success per destination, so a healthy destination costs a write a minute, not one per message. */
  private readonly lastSuccessWrite = new Map<string, number>();
  /** Destinations whose clock skew this worker has logged since their last success. */
  private readonly skewLogged = new Set<string>();

  constructor(
    private readonly db: QueueDb,
    private readonly logger: Logger,
  ) {}

  async apply(reports: Map<string, HealthReport>, now: number): Promise<void> {
    for (const [destinationId, report] of [...reports].sort(([a], [b]) => a.localeCompare(b))) {
      if (report.gone) await this.disable(destinationId, now, `the receiver answered 410 Gone on ${toIso(now)}`);
      else if (report.endedHealthy) await this.recordSuccess(destinationId, now);
      else if (report.failures > 0) await this.recordFailures(destinationId, report, now);
    }
  }

  private async recordSuccess(destinationId: string, now: number): Promise<void> {
    const last = this.lastSuccessWrite.get(destinationId);
    this.skewLogged.delete(destinationId);
    if (last !== undefined && now - last < HEALTH.successWriteIntervalMs) return;
    this.lastSuccessWrite.set(destinationId, now);
    await recordWebhookSuccess(this.db, destinationId, now, now - HEALTH.successWriteIntervalMs);
  }

  private async recordFailures(destinationId: string, report: HealthReport, now: number): Promise<void> {
    this.lastSuccessWrite.delete(destinationId);
    const reason = report.lastFailure ?? 'failed';
    if (report.clockOffsetMs !== null) this.logSkewOnce(destinationId, report.clockOffsetMs);
    await recordWebhookFailures(this.db, destinationId, report.failures, now, reason);
    const rule = { failingSinceAtMost: now - HEALTH.disableAfterMs, minFailures: HEALTH.minFailuresToDisable };
    const days = Math.round(HEALTH.disableAfterMs / 86_400_000);
    await this.disable(destinationId, now, `every delivery failed for ${days} days or more (last: ${reason})`, rule);
  }

  private logSkewOnce(destinationId: string, clockOffsetMs: number): void {
    if (this.skewLogged.has(destinationId)) return;
    this.skewLogged.add(destinationId);
    this.logger.warn(
      { destinationId, clockOffsetMs },
      "webhook destination refuses our signatures' timestamps: its clock and ours differ by more than it accepts",
    );
  }

  private async disable(destinationId: string, now: number, reason: string, rule?: Parameters<typeof disableWebhook>[4]): Promise<void> {
    if (!(await disableWebhook(this.db, destinationId, now, reason, rule))) return;
    const failed = await failWaitingForDestination(this.db, destinationId, `the destination was disabled: ${reason}`);
    this.logger.warn({ destinationId, reason, failedMessages: failed }, 'webhook destination disabled');
  }
}
