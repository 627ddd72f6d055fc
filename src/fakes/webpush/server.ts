/**
 * A fake Web Push service (RFC 8030) for tests, the bench and the demo: it creates subscriptions
 * whose endpoints point here, keeps each one's private key, and on every push checks the VAPID
 * header and the RFC 8030 headers, decrypts the aes128gcm body (RFC 8291, with http_ece) and
 * records the plaintext. Tests tell it to answer 404, 410, 429 or 5xx for a subscription.
 */
import { createECDH, randomBytes, type ECDH } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { WebPushControl, type WebPushDelivery } from './control.js';
import { checkVapid } from './vapid-check.js';

const ece = createRequire(import.meta.url)('http_ece') as {
  decrypt(body: Buffer, params: { version: string; privateKey: ECDH; authSecret: string }): Buffer;
};

/** RFC 8030 asks push services to accept at least 4096 bytes; this one accepts exactly that. */
const BODY_LIMIT = 4096;

export interface PushSubscriptionJson {
  endpoint: string;
  expirationTime: null;
  keys: { p256dh: string; auth: string };
}

interface Subscription {
  ecdh: ECDH;
  auth: string;
  applicationServerKey: string | null;
}

export interface FakeWebPush {
  baseUrl: string;
  control: WebPushControl;
  /** A subscription as a browser would hand it out; bound to the app's VAPID key when given. */
  createSubscription(options?: { applicationServerKey?: string }): PushSubscriptionJson;
  /** The subscription id (last path segment) of an endpoint. */
  subscriptionIdOf(endpoint: string): string;
  close(): Promise<void>;
}

export interface FakeWebPushOptions {
  keep?: boolean;
  onDelivery?: (d: WebPushDelivery) => void;
  /** Check VAPID and decrypt every Nth push only (default 1: all). The bench samples, since decrypting costs the fake as much as encrypting costs the sender on the same two cores. */
  verifyEvery?: number;
}

export async function startFakeWebPush(options: FakeWebPushOptions = {}): Promise<FakeWebPush> {
  const subscriptions = new Map<string, Subscription>();
  const control = new WebPushControl(options.keep ?? true, options.onDelivery);
  const sampling = { every: Math.max(1, options.verifyEvery ?? 1), seen: 0 };
  const server = http.createServer((request, response) =>
    collect(request, (body) => handle(request, response, body, { subscriptions, control, origin, sampling })),
  );
  server.keepAliveTimeout = 30_000;
  const port = await new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
  );
  const origin = `http://127.0.0.1:${port}`;
  return {
    baseUrl: origin,
    control,
    createSubscription: (opts = {}) => {
      const id = randomBytes(16).toString('base64url');
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = randomBytes(16).toString('base64url');
      subscriptions.set(id, { ecdh, auth, applicationServerKey: opts.applicationServerKey ?? null });
      return { endpoint: `${origin}/push/${id}`, expirationTime: null, keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth } };
    },
    subscriptionIdOf: (endpoint) => endpoint.split('/').pop() ?? '',
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

interface Context {
  subscriptions: Map<string, Subscription>;
  control: WebPushControl;
  origin: string;
  sampling: { every: number; seen: number };
}

function handle(request: IncomingMessage, response: ServerResponse, body: Buffer | null, ctx: Context): void {
  const receivedAt = performance.timeOrigin + performance.now();
  const id = /^\/push\/([A-Za-z0-9_-]+)$/.exec(request.url ?? '')?.[1];
  const subscription = id ? ctx.subscriptions.get(id) : undefined;
  if (request.method !== 'POST' || !id || !subscription) return reply(response, 404, 'no such subscription');
  if (body === null) return reply(response, 413, 'payload too large');
  const rule = ctx.control.take(id);
  if (rule) return reply(response, rule.status, `fake answer ${rule.status}`, rule.retryAfter);
  const headerProblem = checkHeaders(request);
  if (headerProblem) return reply(response, 400, headerProblem);
  const { ttl, urgency, topic } = request.headers as Record<string, string | undefined>;
  if (++ctx.sampling.seen % ctx.sampling.every !== 0) {
    ctx.control.record({
      subscriptionId: id,
      payload: '',
      headers: { ttl: ttl!, urgency: urgency ?? null, topic: topic ?? null, vapidSubject: '', authorization: '' },
      receivedAt,
    });
    return void response.writeHead(201, { location: `${ctx.origin}/message/unverified` }).end();
  }
  const vapid = checkVapid(request.headers.authorization, ctx.origin, subscription.applicationServerKey, Date.now());
  if (!vapid.ok) return reply(response, vapid.status!, vapid.problem!);
  let payload: string;
  try {
    payload = ece.decrypt(body, { version: 'aes128gcm', privateKey: subscription.ecdh, authSecret: subscription.auth }).toString('utf8');
  } catch {
    return reply(response, 400, 'could not decrypt the payload for this subscription');
  }
  ctx.control.record({
    subscriptionId: id,
    payload,
    headers: {
      ttl: ttl!,
      urgency: urgency ?? null,
      topic: topic ?? null,
      vapidSubject: vapid.subject!,
      authorization: request.headers.authorization!,
    },
    receivedAt,
  });
  response.writeHead(201, { location: `${ctx.origin}/message/${randomBytes(8).toString('hex')}`, ttl: ttl! }).end();
}

/** RFC 8030 §5: TTL is required; Urgency from a fixed list; Topic at most 32 URL-safe base64 characters. */
function checkHeaders(request: IncomingMessage): string | null {
  const { ttl, urgency, topic } = request.headers as Record<string, string | undefined>;
  if (request.headers['content-encoding'] !== 'aes128gcm') return 'Content-Encoding must be aes128gcm';
  if (ttl === undefined || !/^\d+$/.test(ttl)) return 'TTL header is required';
  if (urgency !== undefined && !['very-low', 'low', 'normal', 'high'].includes(urgency)) return 'bad Urgency';
  if (topic !== undefined && !/^[A-Za-z0-9_-]{1,32}$/.test(topic)) return 'bad Topic';
  return null;
}

function collect(request: IncomingMessage, done: (body: Buffer | null) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  request.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= BODY_LIMIT) chunks.push(chunk);
  });
  request.on('end', () => done(size > BODY_LIMIT ? null : Buffer.concat(chunks)));
}

function reply(response: ServerResponse, status: number, message: string, retryAfter?: string): void {
  response.writeHead(status, { 'content-type': 'text/plain', ...(retryAfter ? { 'retry-after': retryAfter } : {}) }).end(message);
}
