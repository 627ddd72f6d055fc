/**
 * Many server-sent event watchers in the bench process: open them, then note when each receives
 * its first event after a moment the scenario marks (`arm`), to time how long a change takes to
 * reach every watcher. Heartbeat comments are not events and are ignored.
 *
 * Raw TCP sockets rather than node:http: with thousands of streams in one bench process, the HTTP
 * client's per-chunk machinery (parser, IncomingMessage, decoding) delays the last watchers of a
 * fan-out by more than the server takes to write it, and that would be measured as the server's.
 * Here a chunk costs one callback and a byte search.
 */
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

export interface WatchTarget {
  url: string;
  headers: Record<string, string>;
}

const EVENT = Buffer.from('event:');

export class Watchers {
  private readonly sockets: Socket[] = [];
  private readonly arrivals: Float64Array;
  private waiting = new Set<number>();
  private settle: (() => void) | null = null;
  private armedAt = 0;

  constructor(private readonly targets: WatchTarget[]) {
    this.arrivals = new Float64Array(targets.length);
  }

  /** Opens every stream, `concurrency` at a time, each resolved once its first event (the snapshot) arrived. */
  static async open(targets: WatchTarget[], concurrency: number, progress?: (opened: number) => void): Promise<Watchers> {
    const watchers = new Watchers(targets);
    await watchers.openRange(0, targets.length, concurrency, progress);
    return watchers;
  }

  /** Opens the streams of targets [from, to). */
  async openRange(from: number, to: number, concurrency: number, progress?: (opened: number) => void): Promise<void> {
    let next = from;
    const lane = async () => {
      while (next < to) {
        const index = next++;
        await this.openOne(index, this.targets[index]!);
        if ((index + 1) % 1000 === 0) progress?.(index + 1);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, lane));
  }

  private openOne(index: number, target: WatchTarget): Promise<void> {
    const url = new URL(target.url);
    return new Promise((resolve, reject) => {
      let opened = false;
      const socket = connect(Number(url.port), url.hostname, () => {
        const headers = Object.entries({ host: url.host, accept: 'text/event-stream', ...target.headers })
          .map(([name, value]) => `${name}: ${value}\r\n`)
          .join('');
        socket.write(`GET ${url.pathname}${url.search} HTTP/1.1\r\n${headers}\r\n`);
      });
      socket.setNoDelay(true);
      socket.on('data', (chunk: Buffer) => {
        if (!opened) {
          if (chunk.subarray(0, 12).toString('latin1') !== 'HTTP/1.1 200')
            return reject(new Error(`stream ${index}: ${chunk.subarray(0, 200).toString()}`));
          if (chunk.indexOf(EVENT) < 0) return;
          opened = true;
          resolve();
          return;
        }
        if (chunk.indexOf(EVENT) >= 0) this.arrived(index);
      });
      socket.on('error', reject);
      this.sockets.push(socket);
    });
  }

  /** From now on, the first event each of `indices` receives is timed against now. */
  arm(indices: number[]): number {
    this.waiting = new Set(indices);
    for (const index of indices) this.arrivals[index] = 0;
    this.armedAt = performance.now();
    return this.armedAt;
  }

  private arrived(index: number): void {
    if (!this.waiting.has(index) || this.arrivals[index] !== 0) return;
    this.arrivals[index] = performance.now();
    this.waiting.delete(index);
    if (this.waiting.size === 0) this.settle?.();
  }

  /** Waits until every armed watcher received an event, or `timeoutMs`; returns their latencies in ms. */
  async collect(indices: number[], timeoutMs: number): Promise<{ latencies: number[]; missing: number }> {
    if (this.waiting.size > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        this.settle = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    this.settle = null;
    const latencies: number[] = [];
    let missing = 0;
    for (const index of indices) {
      if (this.arrivals[index]! > 0) latencies.push(this.arrivals[index]! - this.armedAt);
      else missing += 1;
    }
    return { latencies, missing };
  }

  close(): void {
    for (const socket of this.sockets) socket.destroy();
  }
}
