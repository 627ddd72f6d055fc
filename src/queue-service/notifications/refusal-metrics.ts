/** Refused SMS and e-mail on /metrics, read from the message rows so every process shows the same counts. */
import { Gauge, type Registry } from 'prom-client';
import type { QueueServiceDeps } from '../deps.js';
import { countRefusedSends } from '../db/queries/messages.js';

const DAY_MS = 86_400_000;

export function registerRefusalGauge(registry: Registry, deps: Pick<QueueServiceDeps, 'database' | 'clock'>): void {
  new Gauge({
    name: 'queuebell_notifications_refused_last_day',
    help: 'SMS and e-mail the send limits refused in the last 24 hours, by channel and reason (docs/security.md).',
    labelNames: ['channel', 'reason'],
    registers: [registry],
    async collect() {
      const rows = await countRefusedSends(deps.database.db, deps.clock.now() - DAY_MS).catch(() => null);
      if (!rows) return;
      this.reset();
      for (const row of rows) this.set({ channel: row.channel, reason: row.reason }, row.count);
    },
  });
}
