/**
 * One server-sent event stream over a hijacked Fastify reply (text/event-stream). Events written
 * while the stream is held (its snapshot is being built) wait and follow the snapshot, so a change
 * that happens during a (re)connection is never lost. A client that stops reading is dropped
 * rather than buffered without end.
 */
import type { ServerResponse } from 'node:http';

/** A client further behind than this is too slow to follow a live stream: it reconnects and resumes. */
const MAX_BUFFERED_BYTES = 1 << 20;
/** Advice to EventSource clients: reconnect after this long. */
const RETRY_MS = 3_000;

export class SseStream {
  private held: string[] | null = [];
  private closed = false;
  private readonly closeListeners: Array<() => void> = [];

  constructor(
    private readonly response: ServerResponse,
    extraHeaders: Record<string, string> = {},
  ) {
    response.writeHead(200, {
      ...extraHeaders,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // Proxies such as nginx buffer responses unless told not to.
      'x-accel-buffering': 'no',
    });
    response.write(`retry: ${RETRY_MS}\n\n`);
    response.on('close', () => this.close());
  }

  get isClosed(): boolean {
    return this.closed;
  }

  onClose(listener: () => void): void {
    if (this.closed) listener();
    else this.closeListeners.push(listener);
  }

  /** Writes an event; `id` is what the client sends back as Last-Event-ID when it reconnects. */
  send(event: string, data: unknown, id?: number | null): void {
    this.write(`${id !== undefined && id !== null ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  /** Writes an event already framed (`id:`, `event:`, `data:` lines and the blank line). */
  sendFrame(frame: string): void {
    this.write(frame);
  }

  /** Sends at once even while held: the snapshot itself. */
  sendNow(event: string, data: unknown, id?: number | null): void {
    this.writeRaw(`${id !== undefined && id !== null ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  /** A comment line: keeps proxies and load balancers from closing an idle stream. */
  heartbeat(): void {
    this.writeRaw(': heartbeat\n\n');
  }

  /** Ends the hold: what was written meanwhile goes out after the snapshot. */
  release(): void {
    const waiting = this.held;
    this.held = null;
    for (const chunk of waiting ?? []) this.writeRaw(chunk);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.held = null;
    if (!this.response.writableEnded) this.response.end();
    for (const listener of this.closeListeners.splice(0)) listener();
  }

  private write(chunk: string): void {
    if (this.held) this.held.push(chunk);
    else this.writeRaw(chunk);
  }

  private writeRaw(chunk: string): void {
    if (this.closed) return;
    if (this.response.writableLength > MAX_BUFFERED_BYTES) {
      this.close();
      return;
    }
    this.response.write(chunk);
  }
}
