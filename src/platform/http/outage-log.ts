/**
 * One log line per outage, not one stack per request (docs/design.md §Faults): the first failure of
 * a database with a given code is logged at once with what on-call needs (which database, which
 * code, the engine's reason, the route that met it); repeats within the window are counted and
 * reported on the next line.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { StorageFault } from '../db/faults.js';

const WINDOW_MS = 10_000;

interface Seen {
  loggedAt: number;
  suppressed: number;
}

export class OutageLog {
  private readonly seen = new Map<string, Seen>();

  constructor(
    private readonly logger: FastifyBaseLogger,
    private readonly now: () => number = Date.now,
  ) {}

  record(fault: StorageFault, route: string): void {
    const key = `${fault.database ?? ''}|${fault.code}`;
    const now = this.now();
    const seen = this.seen.get(key);
    if (seen && now - seen.loggedAt < WINDOW_MS) {
      seen.suppressed += 1;
      return;
    }
    this.logger.error(
      {
        database: fault.database ?? 'unknown',
        code: fault.code,
        reason: fault.reason,
        route,
        sameSinceLastLine: seen?.suppressed ?? 0,
      },
      'database unavailable: answering 503 STORAGE_UNAVAILABLE',
    );
    this.seen.set(key, { loggedAt: now, suppressed: 0 });
    if (this.seen.size > 100) this.seen.delete(this.seen.keys().next().value!);
  }
}
