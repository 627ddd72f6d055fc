/** A running push worker with its providers, the receipt sender, expiry and the retention purge beside it: started by main.ts, or in a thread of its own (worker-thread.ts). */
import type { PushDeps } from '../deps.js';
import { closeProviders, createProviders } from '../providers/index.js';
import { scheduleMaintenance } from './maintenance.js';
import { startPushPurgeTimer } from './retention.js';
import { PushWorker, type WorkerOptions } from './worker.js';
import { ReceiptSender } from '../receipts/sender.js';

export interface RunningPushWorker {
  stop(): Promise<void>;
}

/**
 * `handOff`: pushes written by this thread's ingest go straight to this worker (role all on one
 * event loop); a worker in a thread of its own hears of them through its signal instead.
 */
export async function startPushWorker(
  deps: PushDeps,
  options: Partial<WorkerOptions> = {},
  { handOff }: { handOff: boolean },
): Promise<RunningPushWorker> {
  const providers = createProviders({ allowPrivateEndpoints: deps.allowPrivateEndpoints });
  const worker = new PushWorker({ ...deps, providers }, options);
  await worker.start();
  if (handOff) deps.ingest.attach(worker);
  // Receipts back to the senders (docs/design.md §Receipts), beside the worker whose outcomes they carry.
  const receipts = new ReceiptSender(deps);
  await receipts.start();
  const stopMaintenance = scheduleMaintenance(deps.db, deps.clock, deps.logger);
  const purge = startPushPurgeTimer(deps);
  return {
    stop: async () => {
      if (handOff) deps.ingest.attach(null);
      await worker.stop();
      await receipts.stop();
      await stopMaintenance();
      await purge.stop();
      await closeProviders(providers);
    },
  };
}
