/**
 * The hand-off from ingest to a worker in the same process (role all). Ingest writes the jobs it
 * can hand over already claimed by this process — `sending`, first attempt, a lease — and passes
 * them on with their device and message after the commit. That skips the wake-up, the claim and
 * the reads a separate worker would need, which is most of the database work of a push. Should the
 * process die, the lease runs out (or, on PostgreSQL, its liveness lock frees) and any worker takes
 * the jobs as usual.
 */
import type { DeviceRow } from '../db/queries/devices.js';
import type { MessageRow } from '../db/queries/messages.js';
import type { PushJobRow } from '../db/queries/push-jobs.js';

export interface ClaimedPush {
  job: PushJobRow;
  device: DeviceRow;
  message: MessageRow;
}

export interface LocalDispatch {
  readonly leaseMs: number;
  /** Owner of the leases of the pushes handed over. */
  readonly workerId: string;
  /** Room for up to `count` pushes now; the answer is how many were reserved (0 when stopping or full). */
  reserve(count: number): number;
  /** Gives back reservations that will not be dispatched (the transaction failed). */
  release(count: number): void;
  /** Sends pushes claimed at write time; called after their transaction committed. */
  dispatch(pushes: ClaimedPush[], now: number): void;
}
