/**
 * Background work in threads of its own (docs/design.md §Workers, default mode): the API keeps the
 * main thread, and each background part (dispatcher, scheduler, push worker) runs in a worker
 * thread with its own database connection, so a long claim or a provider burst never holds a
 * booking back. The supervisor starts a thread, relays wake-ups both ways, restarts a thread that
 * crashed after a growing pause, and stops it gracefully.
 *
 * Messages (structured clones): the parent sends `{ type: 'wake' }` and `{ type: 'stop' }`; the
 * thread answers `ready` once its part runs, `wake` when it committed work another part should see,
 * and exits by itself once stopped (thread-side.ts).
 */
import { extname } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';

export type ParentMessage = { type: 'wake' } | { type: 'stop' } | { type: 'metrics'; id: number };
export type ThreadMessage = { type: 'ready'; info?: unknown } | { type: 'wake' } | { type: 'metrics'; id: number; metrics: unknown[] };

/** How long a scrape waits for a thread's metrics before leaving them out. */
const METRICS_TIMEOUT_MS = 1_000;

/** Pauses before a restart: they double from the first to the longest; a thread that ran this long before dying starts again at the first. */
export const RESTART_BACKOFF = {
  firstMs: 1_000,
  longestMs: 30_000,
  /** Up this long: the crash was not a crash loop. */
  stableMs: 60_000,
};

export interface ThreadOptions {
  /** For the log: "dispatcher", "push worker"… */
  name: string;
  /** The thread's module: a file whose top level calls runInThread (thread-side.ts). */
  entry: URL;
  /** What the thread's module reads as workerData (structured clone). */
  data: unknown;
  logger: Logger;
  /** Called when the thread says it committed work others should see. */
  onWake?: () => void;
  /** How long stop() waits for the thread to finish before terminating it. */
  stopTimeoutMs?: number;
  backoff?: typeof RESTART_BACKOFF;
}

export interface SupervisedThread {
  /** Tells the thread that work may be waiting (coalesced). */
  wake(): void;
  /** Restarts so far (a test or /metrics may read it). */
  readonly restarts: number;
  /** What the thread's part said when it last became ready (ThreadPart.info). */
  readonly info: unknown;
  /** The thread's Prometheus metrics as prom-client JSON (getMetricsAsJSON), [] when it has none or does not answer. */
  metrics(): Promise<unknown[]>;
  /** No more restarts; the thread stops its part, closes its database and exits. */
  stop(): Promise<void>;
}

/** Starts the thread and resolves once its part runs; a thread that fails before that rejects the start. */
export async function superviseThread(options: ThreadOptions): Promise<SupervisedThread> {
  const supervisor = new Supervisor(options);
  await supervisor.begin();
  return supervisor;
}

class Supervisor implements SupervisedThread {
  restarts = 0;
  info: unknown = undefined;
  private worker: Worker | null = null;
  private stopping = false;
  private wakePending = false;
  private restartTimer: NodeJS.Timeout | null = null;
  private nextPauseMs: number;
  private startedAt = 0;
  private exited: Promise<void> = Promise.resolve();
  private readonly backoff: typeof RESTART_BACKOFF;
  private nextMetricsId = 0;
  private readonly metricsWaiting = new Map<number, (metrics: unknown[]) => void>();

  constructor(private readonly options: ThreadOptions) {
    this.backoff = options.backoff ?? RESTART_BACKOFF;
    this.nextPauseMs = this.backoff.firstMs;
  }

  begin(): Promise<void> {
    return new Promise<void>((resolve, reject) => this.spawn({ resolve, reject }));
  }

  wake(): void {
    if (this.wakePending || !this.worker) return;
    this.wakePending = true;
    queueMicrotask(() => {
      this.wakePending = false;
      this.worker?.postMessage({ type: 'wake' } satisfies ParentMessage);
    });
  }

  metrics(): Promise<unknown[]> {
    const worker = this.worker;
    if (!worker) return Promise.resolve([]);
    const id = this.nextMetricsId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => answer([]), METRICS_TIMEOUT_MS);
      const answer = (metrics: unknown[]) => {
        clearTimeout(timer);
        this.metricsWaiting.delete(id);
        resolve(metrics);
      };
      this.metricsWaiting.set(id, answer);
      worker.postMessage({ type: 'metrics', id } satisfies ParentMessage);
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const worker = this.worker;
    if (!worker) return;
    const timeout = setTimeout(() => {
      this.options.logger.warn(`${this.options.name} thread did not stop in time; terminating it`);
      void worker.terminate();
    }, this.options.stopTimeoutMs ?? 30_000);
    worker.postMessage({ type: 'stop' } satisfies ParentMessage);
    await this.exited;
    clearTimeout(timeout);
  }

  private spawn(first?: { resolve: () => void; reject: (error: unknown) => void }): void {
    const { name, logger } = this.options;
    const worker = startWorker(this.options.entry, this.options.data);
    this.worker = worker;
    this.startedAt = Date.now();
    let ready = false;
    let failure: unknown = null;
    this.exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.on('message', (message: ThreadMessage) => {
      if (message.type === 'wake') this.options.onWake?.();
      else if (message.type === 'metrics') this.metricsWaiting.get(message.id)?.(message.metrics);
      else if (message.type === 'ready' && !ready) {
        ready = true;
        this.info = message.info;
        logger.info({ thread: name, threadId: worker.threadId }, `${name} thread running`);
        first?.resolve();
      }
    });
    worker.on('error', (error) => {
      failure = error;
      logger.error({ err: error, thread: name }, `${name} thread crashed`);
    });
    worker.on('exit', (code) => {
      this.worker = null;
      if (!ready && first) {
        first.reject(failure ?? new Error(`the ${name} thread exited with code ${code} before it started`));
        return;
      }
      if (this.stopping) return;
      this.scheduleRestart(code);
    });
  }

  private scheduleRestart(code: number): void {
    const { name, logger } = this.options;
    if (Date.now() - this.startedAt >= this.backoff.stableMs) this.nextPauseMs = this.backoff.firstMs;
    const pauseMs = this.nextPauseMs;
    this.nextPauseMs = Math.min(pauseMs * 2, this.backoff.longestMs);
    logger.error({ thread: name, exitCode: code, restartInMs: pauseMs }, `${name} thread stopped unexpectedly; restarting it`);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (this.stopping) return;
      this.restarts += 1;
      this.spawn();
      // Work committed while no thread ran rang nobody.
      this.wake();
    }, pauseMs);
  }
}

/**
 * The compiled module (dist/…/x.js) runs as it is. Run from the sources (tsx, vitest), the thread
 * registers tsx's loader first: a worker's own entry module is loaded before any --import hook.
 */
function startWorker(entry: URL, data: unknown): Worker {
  if (extname(fileURLToPath(entry)) !== '.ts') return new Worker(entry, { workerData: data });
  const tsx = pathToFileURL(
    createRequire(import.meta.url)
      .resolve('tsx/esm/api')
      .replace(/index\.cjs$/, 'index.mjs'),
  ).href;
  const bootstrap = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: data });
}

/** The file of a thread's module beside `sibling` (import.meta.url), with the extension the caller runs under (.ts or .js). */
export function threadEntry(sibling: string, relativeBase: string): URL {
  return new URL(`${relativeBase}${extname(fileURLToPath(sibling))}`, sibling);
}
