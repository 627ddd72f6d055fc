/**
 * A fake FCM for tests, the bench and the demo, over HTTP/2 (cleartext, on 127.0.0.1): the token
 * endpoint of a generated service account (its `token_uri` points here) and the HTTP v1 send
 * endpoint, which checks the bearer token, the project and the message. Tests tell it which FCM
 * error to answer for a token.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import http2, { type IncomingHttpHeaders, type ServerHttp2Stream } from 'node:http2';
import { FCM_ERRORS, FcmControl, type FcmDelivery, type FcmRule } from './control.js';
import { checkMessage } from './message-checks.js';
import { FakeOAuth } from './oauth.js';

export interface FakeFcmOptions {
  projectId?: string;
  /** Access token lifetime the token endpoint grants (Google: 3599 s). */
  tokenLifetimeS?: number;
  keep?: boolean;
  onDelivery?: (delivery: FcmDelivery) => void;
}

export interface ServiceAccountJson {
  type: 'service_account';
  project_id: string;
  private_key_id: string;
  private_key: string;
  client_email: string;
  client_id: string;
  token_uri: string;
}

export interface FakeFcm {
  baseUrl: string;
  serviceAccount: ServiceAccountJson;
  control: FcmControl;
  oauth: FakeOAuth;
  close(): Promise<void>;
}

export async function startFakeFcm(options: FakeFcmOptions = {}): Promise<FakeFcm> {
  const projectId = options.projectId ?? 'queuebell-fake';
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const control = new FcmControl(options.keep ?? true, options.onDelivery);
  const server = http2.createServer();
  const open = new Set<http2.ServerHttp2Session>();
  server.on('session', (session) => {
    open.add(session);
    session.on('close', () => open.delete(session));
    session.on('error', () => {});
  });
  const port = await new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  const serviceAccount: ServiceAccountJson = {
    type: 'service_account',
    project_id: projectId,
    private_key_id: randomBytes(20).toString('hex'),
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    client_email: `pusher@${projectId}.iam.gserviceaccount.com`,
    client_id: String(Date.now()),
    token_uri: `${baseUrl}/token`,
  };
  const oauth = new FakeOAuth(
    {
      clientEmail: serviceAccount.client_email,
      privateKeyId: serviceAccount.private_key_id,
      tokenUri: serviceAccount.token_uri,
      publicKey,
    },
    options.tokenLifetimeS ?? 3599,
  );
  server.on('stream', (stream, headers) => handle(stream, headers, { projectId, control, oauth }));
  return {
    baseUrl,
    serviceAccount,
    control,
    oauth,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const session of open) session.destroy();
      }),
  };
}

interface Context {
  projectId: string;
  control: FcmControl;
  oauth: FakeOAuth;
}

function handle(stream: ServerHttp2Stream, headers: IncomingHttpHeaders, ctx: Context): void {
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('error', () => {});
  stream.on('end', () => {
    const receivedAt = performance.timeOrigin + performance.now();
    const path = String(headers[':path']);
    const body = Buffer.concat(chunks).toString('utf8');
    if (headers[':method'] === 'POST' && path === '/token') {
      const { status, body: answer } = ctx.oauth.exchange(new URLSearchParams(body), Date.now());
      return send(stream, status, answer);
    }
    const match = /^\/v1\/projects\/([^/]+)\/messages:send$/.exec(path);
    if (headers[':method'] !== 'POST' || !match) return send(stream, 404, googleError(404, 'NOT_FOUND', 'Not found.'));
    if (!ctx.oauth.isValid(headers.authorization as string | undefined, Date.now())) {
      return send(stream, 401, googleError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.'));
    }
    if (decodeURIComponent(match[1]!) !== ctx.projectId)
      return send(stream, 403, googleError(403, 'PERMISSION_DENIED', 'Permission denied on the project.'));
    sendMessage(stream, body, ctx, receivedAt);
  });
}

function sendMessage(stream: ServerHttp2Stream, body: string, ctx: Context, receivedAt: number): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return send(stream, 400, fcmError({ errorCode: 'INVALID_ARGUMENT' }, 'Invalid JSON payload received.'));
  }
  const checked = checkMessage(parsed);
  if ('problem' in checked) return send(stream, 400, fcmError({ errorCode: 'INVALID_ARGUMENT' }, checked.problem));
  const rule = ctx.control.take(checked.token);
  if (rule) return send(stream, FCM_ERRORS[rule.errorCode].status, fcmError(rule, messageFor(rule)), rule.retryAfter);
  ctx.control.record({ token: checked.token, message: checked.message, receivedAt });
  send(stream, 200, { name: `projects/${ctx.projectId}/messages/0:${Date.now()}%${randomBytes(8).toString('hex')}` });
}

function messageFor(rule: FcmRule): string {
  if (rule.errorCode === 'INVALID_ARGUMENT')
    return rule.invalidToken ? 'The registration token is not a valid FCM registration token' : "Invalid value at 'message.android.ttl'.";
  if (rule.errorCode === 'UNREGISTERED') return 'Requested entity was not found.';
  return `${rule.errorCode} (fake)`;
}

function fcmError(rule: Pick<FcmRule, 'errorCode'>, message: string): object {
  const { status, rpc } = FCM_ERRORS[rule.errorCode];
  return {
    error: {
      code: status,
      message,
      status: rpc,
      details: [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode: rule.errorCode }],
    },
  };
}

function googleError(code: number, status: string, message: string): object {
  return { error: { code, message, status } };
}

function send(stream: ServerHttp2Stream, status: number, body: object, retryAfter?: string): void {
  if (stream.destroyed) return;
  stream.respond({
    ':status': status,
    'content-type': 'application/json; charset=UTF-8',
    ...(retryAfter ? { 'retry-after': retryAfter } : {}),
  });
  stream.end(JSON.stringify(body));
}
