/**
 * Open streams per client address, per user and per operator (docs/security.md §Live streams): a
 * stream holds a socket and a place in the hub until its client hangs up, so one client opening
 * thousands would hold the process's memory. Counted in this process; past a limit the request is
 * a 429 in the error shape before the stream opens.
 */
import { AppError } from '../../contract/errors.js';
import { addressBucket } from '../booking/fair-use.js';

export interface StreamLimitOptions {
  maxStreamsPerAddress: number;
  maxStreamsPerUser: number;
  maxStreamsPerOperator: number;
}

/** Who a stream counts against: always its client address, and the user or operator whose token opened it. */
export interface StreamOwners {
  address: string;
  userId?: string | null;
  operatorId?: string | null;
}

export class StreamLimits {
  private readonly open = new Map<string, number>();

  constructor(private readonly options: StreamLimitOptions) {}

  /** Counts a new stream against its owners; the returned function gives the places back when it closes. */
  take(owners: StreamOwners): () => void {
    const keys: Array<[string, number, string]> = [
      [`a|${addressBucket(owners.address)}`, this.options.maxStreamsPerAddress, 'client address'],
    ];
    if (owners.userId) keys.push([`u|${owners.userId}`, this.options.maxStreamsPerUser, 'user']);
    if (owners.operatorId) keys.push([`o|${owners.operatorId}`, this.options.maxStreamsPerOperator, 'operator']);
    for (const [key, limit, who] of keys) {
      if ((this.open.get(key) ?? 0) >= limit)
        throw new AppError(
          'RATE_LIMITED',
          `Too many open streams for this ${who} (at most ${limit}); close one first.`,
          { limit },
          {
            'retry-after': '30',
          },
        );
    }
    for (const [key] of keys) this.open.set(key, (this.open.get(key) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const [key] of keys) {
        const left = (this.open.get(key) ?? 1) - 1;
        if (left <= 0) this.open.delete(key);
        else this.open.set(key, left);
      }
    };
  }
}
