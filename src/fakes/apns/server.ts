/**
 * A fake APNs provider API for tests, the bench and the demo: HTTP/2 over TLS with the committed
 * test certificate, checking the ES256 provider token against the public part of a key it
 * generated, and the request headers and payload as Apple does. Tests tell it which answer to
 * give for a token (410 Unregistered, 400 BadDeviceToken, 429, 500, 503, …).
 */
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http2, { type Http2SecureServer, type ServerHttp2Stream, type IncomingHttpHeaders } from 'node:http2';
import { ApnsControl, type ApnsDelivery } from './control.js';
import { ProviderTokenChecker } from './provider-token.js';
import { checkHeaders, checkPayload, type Problem } from './request-checks.js';

const TLS_DIR = new URL('./test-tls/', import.meta.url);

export interface FakeApnsOptions {
  topic?: string;
  /** Keep every delivery in `received` (tests); the bench turns it off and uses onDelivery. */
  keep?: boolean;
  onDelivery?: (delivery: ApnsDelivery) => void;
  /** SETTINGS_MAX_CONCURRENT_STREAMS; Apple's is around 1000 once a valid token was seen. */
  maxConcurrentStreams?: number;
}

export interface FakeApns {
  baseUrl: string;
  keyP8: string;
  keyId: string;
  teamId: string;
  topic: string;
  /** The certificate (PEM) a client must trust to talk to this fake. */
  ca: string;
  control: ApnsControl;
  tokens: ProviderTokenChecker;
  close(): Promise<void>;
}

export async function startFakeApns(options: FakeApnsOptions = {}): Promise<FakeApns> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const keyId = randomId(10);
  const teamId = randomId(10);
  const topic = options.topic ?? 'app.queuebell.demo';
  const ca = readFileSync(new URL('cert.pem', TLS_DIR), 'utf8');
  const control = new ApnsControl(options.keep ?? true, options.onDelivery);
  const tokens = new ProviderTokenChecker({ keyId, teamId, publicKey });
  const server = http2.createSecureServer({
    key: readFileSync(new URL('key.pem', TLS_DIR)),
    cert: ca,
    settings: { maxConcurrentStreams: options.maxConcurrentStreams ?? 1000 },
  });
  server.on('stream', (stream, headers) => handle(stream, headers, { topic, control, tokens }));
  const open = trackSessions(server);
  const port = await listen(server);
  return {
    baseUrl: `https://127.0.0.1:${port}`,
    keyP8: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    keyId,
    teamId,
    topic,
    ca,
    control,
    tokens,
    close: () => closeServer(server, open),
  };
}

interface Context {
  topic: string;
  control: ApnsControl;
  tokens: ProviderTokenChecker;
}

function handle(stream: ServerHttp2Stream, headers: IncomingHttpHeaders, ctx: Context): void {
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('error', () => {});
  stream.on('end', () => {
    if (ctx.control.delayMs > 0) setTimeout(() => answerRequest(stream, headers, chunks, ctx), ctx.control.delayMs);
    else answerRequest(stream, headers, chunks, ctx);
  });
}

function answerRequest(stream: ServerHttp2Stream, headers: IncomingHttpHeaders, chunks: Buffer[], ctx: Context): void {
  const receivedAt = performance.timeOrigin + performance.now();
  const tokenProblem = ctx.tokens.check(headers.authorization as string | undefined, Date.now());
  if (tokenProblem) return answer(stream, { status: 403, reason: tokenProblem });
  const headerProblem = checkHeaders(headers, ctx.topic);
  if (headerProblem) return answer(stream, headerProblem);
  const checked = checkPayload(Buffer.concat(chunks));
  if ('problem' in checked) return answer(stream, checked.problem);
  const token = String(headers[':path']).slice('/3/device/'.length).toLowerCase();
  const rule = ctx.control.take(token);
  if (rule) return answer(stream, rule, rule.retryAfter);
  ctx.control.record({
    token,
    get headers() {
      return apnsHeaders(headers);
    },
    payload: checked.payload,
    receivedAt,
  });
  if (stream.destroyed) return;
  stream.respond({ ':status': 200, 'apns-id': String(headers['apns-id'] ?? randomUUID()) });
  stream.end();
}

function answer(stream: ServerHttp2Stream, problem: Problem, retryAfter?: string): void {
  if (stream.destroyed) return;
  const body: Record<string, unknown> = { reason: problem.reason };
  // Apple adds when it learned the token was gone, so a provider can compare with its registration.
  if (problem.status === 410) body.timestamp = Date.now();
  stream.respond({
    ':status': problem.status,
    'content-type': 'application/json',
    'apns-id': randomUUID(),
    ...(retryAfter ? { 'retry-after': retryAfter } : {}),
  });
  stream.end(JSON.stringify(body));
}

function apnsHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers)
      // traceparent too: Apple ignores it; tests follow a trace to the provider with it.
      .filter(([name]) => name.startsWith('apns-') || name === 'traceparent')
      .map(([name, value]) => [name, String(value)]),
  );
}

function randomId(length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return [...randomBytes(length)].map((byte) => alphabet[byte % alphabet.length]).join('');
}

function listen(server: Http2SecureServer): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

function trackSessions(server: Http2SecureServer): Set<http2.ServerHttp2Session> {
  const open = new Set<http2.ServerHttp2Session>();
  server.on('session', (session) => {
    open.add(session);
    session.on('close', () => open.delete(session));
    session.on('error', () => {});
  });
  return open;
}

/** node:http2 keeps a listener open while clients keep sessions; a fake must not wait for them. */
function closeServer(server: Http2SecureServer, open: Set<http2.ServerHttp2Session>): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    for (const session of open) session.destroy();
  });
}
