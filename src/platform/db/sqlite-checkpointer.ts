/**
 * Moves the work of WAL checkpoints off the request path. SQLite runs an automatic checkpoint inside
 * the commit that crosses its threshold, copying the WAL into the database and syncing it: with a
 * large WAL, a stall of tens of milliseconds (measured: ~100 ms at 200 MB) for whichever request
 * happened to commit. Here a worker thread with its own connection runs PASSIVE checkpoints, which
 * never block the writer, so the writer's own checkpoint (database.ts) finds little left to copy.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.modulePath);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
}, workerData.intervalMs);
parentPort.once('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.postMessage('stopped');
});
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

export function startCheckpointer(file: string, intervalMs = 100): Checkpointer {
  const modulePath = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, modulePath, intervalMs } });
  worker.unref();
  // A checkpointer that dies only means bigger WAL files until the writer's safety net runs.
  worker.on('error', () => {});
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        const timeout = setTimeout(() => void worker.terminate().then(() => resolve()), 2000);
        worker.once('message', () => {
          clearTimeout(timeout);
          void worker.terminate().then(() => resolve());
        });
        worker.once('exit', () => {
          clearTimeout(timeout);
          resolve();
        });
        worker.postMessage('stop');
      }),
  };
}
