import { generateKeyPairSync } from 'node:crypto';
import { importSPKI, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { FCM_SCOPE, FcmAccessTokens, signAssertion, validateServiceAccount } from '../../../src/push-server/providers/fcm/credentials.js';
import { fcmOutcome } from '../../../src/push-server/providers/fcm/outcome.js';
import { buildFcmRequest } from '../../../src/push-server/providers/fcm/payload.js';
import { isOutcome } from '../../../src/push-server/providers/provider.js';
import { input } from './input.js';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const account = validateServiceAccount({
  type: 'service_account',
  project_id: 'proj',
  client_email: 'sa@proj.iam.gserviceaccount.com',
  private_key_id: 'kid1',
  private_key: rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  token_uri: 'https://oauth2.example/token',
});

describe('FCM service-account tokens', () => {
  it('signs the JWT-bearer assertion Google expects', async () => {
    const now = Date.parse('2026-03-02T09:00:00Z');
    const key = await importSPKI(rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString(), 'RS256');
    const { payload, protectedHeader } = await jwtVerify(signAssertion(account, now), key, {
      currentDate: new Date(now),
      audience: account.token_uri,
      issuer: account.client_email,
    });
    expect(protectedHeader).toEqual({ alg: 'RS256', typ: 'JWT', kid: 'kid1' });
    expect(payload).toMatchObject({ scope: FCM_SCOPE, iat: now / 1000, exp: now / 1000 + 3600 });
  });

  it('fetches one token for concurrent sends and keeps it until five minutes before it expires', async () => {
    let fetched = 0;
    const tokens = new FcmAccessTokens(async () => ({ token: `token-${++fetched}`, expiresInS: 3600 }));
    const first = await Promise.all([tokens.get(account, 0), tokens.get(account, 0), tokens.get(account, 0)]);
    expect(first).toEqual(['token-1', 'token-1', 'token-1']);
    expect(await tokens.get(account, 54 * 60_000)).toBe('token-1');
    expect(await tokens.get(account, 56 * 60_000)).toBe('token-2');
    tokens.invalidate(account, 'token-2');
    expect(await tokens.get(account, 56 * 60_000)).toBe('token-3');
  });

  it('refuses a service account without a usable RSA key or token_uri', () => {
    expect(() => validateServiceAccount({ ...account, private_key: 'x' })).toThrow(/private_key/);
    expect(() => validateServiceAccount({ ...account, token_uri: 'file:///etc/passwd' })).toThrow(/token_uri/);
  });
});

describe('the FCM request', () => {
  const fcmApp = { fcm: { serviceAccount: account, baseUrl: null } };

  it('sets collapse key, priority and a TTL in seconds up to four weeks', () => {
    const now = 1_000_000;
    const built = buildFcmRequest(input({ expiresAt: now + 90_500 }, now, fcmApp, { token: 'fcm-1' }));
    if (isOutcome(built)) throw new Error('not built');
    const { message } = JSON.parse(String(built.body));
    expect(message).toMatchObject({
      token: 'fcm-1',
      android: { collapse_key: 'tkt_1', priority: 'HIGH', ttl: '91s' },
      apns: { headers: { 'apns-priority': '10' } },
    });
    expect(built.headers[':path']).toBe('/v1/projects/proj/messages:send');
    const far = buildFcmRequest(input({ expiresAt: now + 90 * 24 * 3600_000 }, now, fcmApp));
    if (isOutcome(far)) throw new Error('not built');
    expect(JSON.parse(String(far.body)).message.android.ttl).toBe('2419200s');
  });

  it('keeps notification and data within 4096 bytes', () => {
    const built = buildFcmRequest(input({ body: 'ü'.repeat(5000) }, 0, fcmApp));
    if (isOutcome(built)) throw new Error('not built');
    const { message } = JSON.parse(String(built.body));
    expect(Buffer.byteLength(JSON.stringify({ notification: message.notification, data: message.data }))).toBeLessThanOrEqual(4096);
  });
});

describe('FCM answers', () => {
  const answer = (status: number, errorCode: string | null, message = '', headers: Record<string, string> = {}) =>
    fcmOutcome(
      {
        status,
        headers,
        body: JSON.stringify({
          error: {
            code: status,
            message,
            status: 'X',
            details: errorCode ? [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode }] : [],
          },
        }),
      },
      0,
    );

  it('turns each answer into one outcome', () => {
    expect(fcmOutcome({ status: 200, headers: {}, body: '{"name":"x"}' }, 0).kind).toBe('delivered');
    expect(answer(404, 'UNREGISTERED').kind).toBe('token_gone');
    expect(answer(400, 'INVALID_ARGUMENT', 'The registration token is not a valid FCM registration token').kind).toBe('token_gone');
    expect(answer(400, 'INVALID_ARGUMENT', 'Invalid value at message.android.ttl').kind).toBe('rejected');
    expect(answer(403, 'SENDER_ID_MISMATCH').kind).toBe('rejected');
    expect(answer(429, 'QUOTA_EXCEEDED')).toMatchObject({ kind: 'retry_later', cause: 'quota_exceeded' });
    expect(answer(503, 'UNAVAILABLE', '', { 'retry-after': '30' })).toMatchObject({
      kind: 'retry_later',
      cause: 'provider_unavailable',
      retryAfterMs: 30_000,
    });
    expect(answer(500, 'INTERNAL').kind).toBe('retry_later');
    expect(answer(401, 'THIRD_PARTY_AUTH_ERROR').kind).toBe('credentials_broken');
    expect(answer(403, null).kind).toBe('credentials_broken');
  });
});
