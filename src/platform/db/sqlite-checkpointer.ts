/**
 * Moves the work of WAL checkpoints off the request path. SQLite runs an automatic checkpoint inside
 * the commit that crosses its threshold, copying the WAL into the database and syncing it: with a
 * large WAL, a stall of tens of milliseconds (measured: ~100 ms at 200 MB) for whichever request
 * happened to commit. Here a worker thread with its own connection runs PASSIVE checkpoints, which
 * never block the writer, so the writer's own checkpoint (database.ts) finds little left to copy.
 *
 * The thread is a whole V8 isolate (about 8 MB of RSS), needed only while the database is written
 * fast: it starts once the WAL file has grown past a threshold and is being written, and ends after
 * a minute without writes. A lightly used process never starts it; the writer's own checkpoint
 * keeps a slow-growing WAL in bounds meanwhile.
 */
import { statSync } from 'node:fs';
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
  /** Whether the checkpoint thread runs now. */
  readonly running: boolean;
  stop(): Promise<void>;
}

export interface CheckpointerOptions {
  /**
   * How often the thread checkpoints. Rarer passes copy a hot page fewer times (400 ms saved ~8 µs
   * of CPU a booking) but sync more at once: bookings p99 at a steady 1,000/s doubled (BENCHMARKS.md).
   */
  intervalMs?: number;
  /** How often the WAL file is looked at. */
  watchMs?: number;
  /** The thread starts once the WAL is at least this large and was written since the last look. */
  startAtBytes?: number;
  /** The thread ends after the WAL has not been written for this long. */
  idleStopMs?: number;
}

export function startCheckpointer(file: string, options: CheckpointerOptions = {}): Checkpointer {
  const { intervalMs = 100, watchMs = 1000, startAtBytes = 4 * 1024 * 1024, idleStopMs = 60_000 } = options;
  const modulePath = createRequire(import.meta.url).resolve('better-sqlite3');
  let thread: CheckpointThread | null = null;
  let stopping: Promise<void> | null = null;
  let lastWrite = walWritten(file);
  let lastWriteSeenAt = performance.now();

  const watcher = setInterval(() => {
    const written = walWritten(file);
    const now = performance.now();
    const writing = written !== null && written.mtimeMs !== lastWrite?.mtimeMs;
    if (writing) lastWriteSeenAt = now;
    lastWrite = written;
    if (!thread && !stopping && writing && written.size >= startAtBytes) thread = startThread(file, modulePath, intervalMs);
    else if (thread && now - lastWriteSeenAt >= idleStopMs) {
      const ending = thread;
      thread = null;
      stopping = ending.stop().finally(() => {
        stopping = null;
      });
    }
  }, watchMs);
  watcher.unref();

  return {
    get running() {
      return thread !== null;
    },
    stop: async () => {
      clearInterval(watcher);
      await stopping;
      await thread?.stop();
      thread = null;
    },
  };
}

/** The WAL file's size and last write, or null while there is none. */
function walWritten(file: string): { size: number; mtimeMs: number } | null {
  try {
    const { size, mtimeMs } = statSync(`${file}-wal`);
    return { size, mtimeMs };
  } catch {
    return null;
  }
}

interface CheckpointThread {
  stop(): Promise<void>;
}

function startThread(file: string, modulePath: string, intervalMs: number): CheckpointThread {
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
