/**
 * How a worker's recorder writes a batch of outcomes while the database may be away (docs/design.md
 * §Faults). A failed write is tried again until it succeeds (the worker renews its leases
 * meanwhile), taking in what finishes meanwhile: an outcome given up would be sent again. Past one
 * lease the batch also goes to the outcome journal, replayed at the next start should the process
 * die first. Only a stop gives up, after its grace period, saying whether all is in the journal.
 * One loop for the dispatcher and the push worker.
 */
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';

const WRITE_RETRY_DELAY_MS = 500;
const WRITE_RETRY_MAX_DELAY_MS = 5_000;

export interface RecordingTarget<T> {
  write(batch: T[]): Promise<void>;
  /** Outcomes that finished while a write failed, moved into the batch. */
  takeFinished(batch: T[]): void;
  /** Makes durable those of `batch` not journaled yet, adding each to `journaled`. */
  journal(batch: T[], journaled: Set<T>): Promise<void>;
  /** Tells the journal that `count` of its entries reached the database after all. */
  recorded(count: number): Promise<void> | undefined;
  leaseMs: number;
  /** performance.now() past which the recorder stops trying (set when the worker stops). */
  giveUpAt(): number;
  logger: Logger;
  /** For the logs: the batch's log field and what it holds, e.g. `messages` and `deliveries`. */
  field: string;
  what: string;
}

export async function writeUntilRecorded<T>(batch: T[], target: RecordingTarget<T>): Promise<void> {
  const firstTry = performance.now();
  const journaled = new Set<T>();
  for (let attempt = 1; ; attempt++) {
    try {
      await target.write(batch);
      if (journaled.size > 0) await target.recorded(journaled.size);
      return;
    } catch (error) {
      target.takeFinished(batch);
      const now = performance.now();
      const givingUp = now >= target.giveUpAt();
      if (givingUp || now - firstTry >= target.leaseMs)
        await target.journal(
          batch.filter((f) => !journaled.has(f)),
          journaled,
        );
      if (givingUp) {
        const safe = journaled.size === batch.length;
        target.logger.error(
          { err: error, [target.field]: batch.length, journaled: journaled.size },
          safe
            ? `could not record ${target.what} before the stop; they are in the outcome journal, replayed at the next start`
            : `could not record ${target.what} before the stop; those not journaled will be sent again after their lease`,
        );
        return;
      }
      if (attempt === 1)
        target.logger.warn(
          { err: error, [target.field]: batch.length },
          `could not record ${target.what}; trying until the database answers`,
        );
      await new Promise((resolve) => setTimeout(resolve, Math.min(WRITE_RETRY_DELAY_MS * attempt, WRITE_RETRY_MAX_DELAY_MS)));
    }
  }
}
