/**
 * A request that changes a ticket reads it and writes it in one transaction, guarded by its version
 * (tickets/unit-of-work.ts, the only user of this module). When another transaction wins in between — another counter calling the same
 * ticket, or an automatic alert of it — running the request again is exactly what would have
 * happened had it arrived a moment later, so it is retried instead of answering 409.
 */
import { AppError } from '../../contract/errors.js';

const ATTEMPTS = 5;

export async function retryOnConflict<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'CONFLICT') || attempt >= ATTEMPTS) throw error;
      // A few milliseconds let the winner commit before the next look.
      await new Promise((resolve) => setTimeout(resolve, attempt * 5));
    }
  }
}
