/**
 * The thread's half of thread-supervisor.ts: starts one background part, says when it is ready,
 * turns the parent's wake-ups into the part's in-process signal (and, for a part that writes work
 * others pick up, its own signal into wake-ups for the parent), and stops the part on request.
 * Once stopped the thread has nothing left to keep it alive, so it exits by itself.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Signal } from '../signal.js';
import { lowerThisThreadPriority } from './thread-priority.js';
import type { ParentMessage, ThreadMessage } from './thread-supervisor.js';

export interface ThreadPart {
  /** Rung when the parent says work may be waiting. */
  inbound?: Signal;
  /** Rung by the part after it committed work the parent (and the other threads) should see. */
  outbound?: Signal;
  /** What the part counts, for the parent's /metrics (prom-client's getMetricsAsJSON). */
  metrics?: () => Promise<unknown[]>;
  /** What the parent learns once the part runs (a structured clone), such as where it listens. */
  info?: unknown;
  stop(): Promise<void>;
}

export function threadData<T>(): T {
  return workerData as T;
}

export interface ThreadSideOptions {
  /** Nice steps below the process's priority the thread runs at (config.workerNice); 0 leaves it alike. */
  niceIncrement?: number;
}

export async function runInThread(start: () => Promise<ThreadPart>, options: ThreadSideOptions = {}): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('runInThread must run in a worker thread');
  // Before the part starts, so that its first claims already give way to the API.
  lowerThisThreadPriority(options.niceIncrement ?? 0);
  const part = await start();
  part.outbound?.subscribe(() => port.postMessage({ type: 'wake' } satisfies ThreadMessage));
  let stopping = false;
  port.on('message', (message: ParentMessage) => {
    if (message.type === 'wake') part.inbound?.notify();
    else if (message.type === 'metrics') {
      void (part.metrics?.() ?? Promise.resolve([])).then(
        (metrics) => port.postMessage({ type: 'metrics', id: message.id, metrics } satisfies ThreadMessage),
        () => port.postMessage({ type: 'metrics', id: message.id, metrics: [] } satisfies ThreadMessage),
      );
    } else if (message.type === 'stop' && !stopping) {
      stopping = true;
      void part.stop().then(() => {
        port.close();
        // Anything still holding the loop open (a socket a provider keeps) must not keep the thread alive.
        setTimeout(() => process.exit(0), 1_000).unref();
      });
    }
  });
  port.postMessage({ type: 'ready', info: part.info } satisfies ThreadMessage);
}
