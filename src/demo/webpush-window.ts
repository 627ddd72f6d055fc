/**
 * The demo's window on the fake Web Push service, for the ticket page in the browser.
 *
 * Why it exists: the demo machine may have no internet, so a browser's real push service (Google's,
 * Mozilla's) is out of reach and `pushManager.subscribe()` cannot give a usable subscription. The
 * page asks this window instead: it makes a subscription at the bundled fake (endpoint = the fake,
 * private key kept by the fake), which the page registers with the push server like any other. The
 * push server then encrypts and VAPID-signs for it exactly as for a real browser; the fake checks
 * and decrypts; this window streams what the fake received for that subscription back to the page
 * (server-sent events), which shows it and hands it to its service worker.
 *
 * Subscription ids are 128 random bits: knowing one is the only way to read its pushes.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { FakeWebPush } from '../fakes/webpush/server.js';
import type { WebPushDelivery } from '../fakes/webpush/control.js';

const MAX_SUBSCRIPTIONS = 10_000;
const KEPT_PER_SUBSCRIPTION = 20;
const HEARTBEAT_MS = 15_000;

interface Received {
  seq: number;
  payload: string;
  receivedAt: number;
  urgency: string | null;
  ttl: string;
}

interface Watched {
  received: Received[];
  streams: Set<ServerResponse>;
}

export interface WebPushWindow {
  url: string;
  /** Give it every delivery of the fake (FakeWebPushOptions.onDelivery). */
  record(delivery: WebPushDelivery): void;
  close(): Promise<void>;
}

export async function startWebPushWindow(webpush: FakeWebPush, host = '127.0.0.1'): Promise<WebPushWindow> {
  const watched = new Map<string, Watched>();
  let seq = 0;
  const server = http.createServer((request, response) => {
    response.setHeader('access-control-allow-origin', '*');
    void route(request, response, { webpush, watched }).catch(() => reply(response, 500, { error: 'failed' }));
  });
  const heartbeat = setInterval(() => {
    for (const entry of watched.values()) for (const stream of entry.streams) stream.write(': still here\n\n');
  }, HEARTBEAT_MS);
  heartbeat.unref();
  const port = await new Promise<number>((resolve) => server.listen(0, host, () => resolve((server.address() as { port: number }).port)));
  return {
    url: `http://${host}:${port}`,
    record(delivery) {
      const entry = watched.get(delivery.subscriptionId);
      if (!entry) return;
      const item: Received = {
        seq: ++seq,
        payload: delivery.payload,
        receivedAt: delivery.receivedAt,
        urgency: delivery.headers.urgency,
        ttl: delivery.headers.ttl,
      };
      entry.received = [...entry.received, item].slice(-KEPT_PER_SUBSCRIPTION);
      for (const stream of entry.streams) send(stream, item, false);
    },
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(heartbeat);
        for (const entry of watched.values()) for (const stream of entry.streams) stream.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function route(
  request: IncomingMessage,
  response: ServerResponse,
  ctx: { webpush: FakeWebPush; watched: Map<string, Watched> },
): Promise<void> {
  const path = new URL(request.url ?? '/', 'http://x').pathname;
  if (request.method === 'OPTIONS') {
    response.writeHead(204, {
      'access-control-allow-methods': 'GET, POST',
      'access-control-allow-headers': 'content-type, last-event-id',
      'access-control-max-age': '600',
    });
    return void response.end();
  }
  if (request.method === 'POST' && path === '/subscriptions') return subscribe(request, response, ctx);
  const match = /^\/subscriptions\/([A-Za-z0-9_-]{1,64})(\/pushes)?$/.exec(path);
  const entry = match ? ctx.watched.get(match[1]!) : undefined;
  if (request.method !== 'GET' || !match || !entry)
    return reply(response, 404, { error: 'no such subscription here (the demo forgets them when it restarts)' });
  if (!match[2]) return reply(response, 200, { id: match[1] });
  stream(request, response, entry);
}

async function subscribe(
  request: IncomingMessage,
  response: ServerResponse,
  ctx: { webpush: FakeWebPush; watched: Map<string, Watched> },
): Promise<void> {
  const body = await readJson(request);
  const key =
    typeof body?.applicationServerKey === 'string' && /^[A-Za-z0-9_-]{80,100}$/.test(body.applicationServerKey)
      ? body.applicationServerKey
      : null;
  if (!key) return reply(response, 400, { error: "applicationServerKey (the app's VAPID public key, base64url) is required" });
  if (ctx.watched.size >= MAX_SUBSCRIPTIONS) return reply(response, 503, { error: 'too many demo subscriptions; restart the demo' });
  const subscription = ctx.webpush.createSubscription({ applicationServerKey: key });
  const id = ctx.webpush.subscriptionIdOf(subscription.endpoint);
  ctx.watched.set(id, { received: [], streams: new Set() });
  reply(response, 201, { id, subscription });
}

/** What arrived before the page connected is sent first, marked `replayed`; with Last-Event-ID only what it missed. */
function stream(request: IncomingMessage, response: ServerResponse, entry: Watched): void {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
  response.write('retry: 2000\n\n');
  const lastSeen = Number(request.headers['last-event-id'] ?? NaN);
  for (const item of entry.received) {
    if (Number.isNaN(lastSeen)) send(response, item, true);
    else if (item.seq > lastSeen) send(response, item, false);
  }
  entry.streams.add(response);
  request.on('close', () => entry.streams.delete(response));
}

function send(response: ServerResponse, item: Received, replayed: boolean): void {
  response.write(`id: ${item.seq}\ndata: ${JSON.stringify({ ...item, replayed })}\n\n`);
}

function readJson(request: IncomingMessage): Promise<Record<string, unknown> | null> {
  return new Promise((resolve) => {
    let text = '';
    request.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (text.length > 4096) request.destroy();
    });
    request.on('end', () => {
      try {
        resolve(JSON.parse(text) as Record<string, unknown>);
      } catch {
        resolve(null);
      }
    });
  });
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
