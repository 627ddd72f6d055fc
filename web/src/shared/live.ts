/**
 * A live connection to a server-sent event stream, built on fetch rather than EventSource because
 * the streams need an Authorization header, which EventSource cannot send. It reconnects by itself
 * with back-off (resuming with Last-Event-ID), notices a stream gone silent behind a proxy, and
 * tells the page its state so the person can see whether what they read is current. Where the
 * service has no such stream, it falls back to polling and says so.
 */
import { EventStreamParser, type StreamEvent } from './sse.js';

export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'polling' | 'offline';

export interface LiveOptions {
  url: string;
  headers?: Record<string, string>;
  onEvent(event: StreamEvent): void;
  onState(state: LiveState): void;
  /** After every (re)connection: fetch a fresh snapshot, since events may have been missed meanwhile. */
  onOpen?(): void;
  /** Used when the stream answers 404: the page polls this instead. */
  poll?: () => Promise<void>;
  pollIntervalMs?: number;
  /** 401/403: the credentials no longer work; the page signs in again. */
  onUnauthorized?(): void;
}

const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 15_000;
/** Servers send heartbeats well within this; silence longer than it means a dead connection. */
const SILENCE_MS = 45_000;

export function openLive(options: LiveOptions): { close(): void } {
  let closed = false;
  let controller: AbortController | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let failures = 0;
  let lastEventId: string | null = null;
  let serverRetryMs: number | null = null;

  const schedule = (fn: () => void, ms: number) => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(fn, ms);
  };

  const retry = () => {
    if (closed) return;
    options.onState('reconnecting');
    const base = serverRetryMs ?? Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** failures);
    failures += 1;
    // Jitter spreads the reconnections of every phone in the room after a server restart.
    schedule(connect, base * (0.75 + Math.random() * 0.5));
  };

  const startPolling = () => {
    const poll = options.poll;
    if (!poll) return options.onState('offline');
    const tick = async () => {
      if (closed) return;
      try {
        await poll();
        options.onState('polling');
      } catch {
        options.onState('offline');
      }
      schedule(() => void tick(), options.pollIntervalMs ?? 3_000);
    };
    void tick();
  };

  const connect = async () => {
    if (closed) return;
    controller = new AbortController();
    const headers: Record<string, string> = { accept: 'text/event-stream', ...options.headers };
    if (lastEventId) headers['last-event-id'] = lastEventId;
    let response: Response;
    try {
      response = await fetch(options.url, { headers, signal: controller.signal, cache: 'no-store' });
    } catch {
      return retry();
    }
    if (response.status === 404 || response.status === 405 || response.status === 501) return startPolling();
    if (response.status === 401 || response.status === 403) {
      options.onState('offline');
      return options.onUnauthorized?.();
    }
    if (!response.ok || !response.body) return retry();
    failures = 0;
    options.onState('live');
    options.onOpen?.();
    await read(response.body, controller);
    retry();
  };

  const read = async (body: ReadableStream<Uint8Array>, abort: AbortController) => {
    const parser = new EventStreamParser((event) => options.onEvent(event));
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let watchdog = setTimeout(() => abort.abort(), SILENCE_MS);
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        clearTimeout(watchdog);
        watchdog = setTimeout(() => abort.abort(), SILENCE_MS);
        parser.push(decoder.decode(value, { stream: true }));
        lastEventId = parser.lastEventId ?? lastEventId;
        serverRetryMs = parser.retryMs ?? serverRetryMs;
      }
    } catch {
      // Aborted or the network dropped: the caller reconnects.
    } finally {
      clearTimeout(watchdog);
    }
  };

  const online = () => {
    if (!closed && failures > 0) schedule(connect, 0);
  };
  // The device knows before the server does (a phone entering a tunnel): say so now, not after the silence timeout.
  const offline = () => controller?.abort();
  window.addEventListener('online', online);
  window.addEventListener('offline', offline);
  options.onState('connecting');
  void connect();

  return {
    close() {
      closed = true;
      window.removeEventListener('online', online);
      window.removeEventListener('offline', offline);
      if (timer) clearTimeout(timer);
      controller?.abort();
    },
  };
}
