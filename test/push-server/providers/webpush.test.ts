import { createECDH, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { isOutcome } from '../../../src/push-server/providers/provider.js';
import {
  VapidHeaders,
  generateVapidCredentials,
  validateVapidCredentials,
} from '../../../src/push-server/providers/webpush/credentials.js';
import { webPushOutcome } from '../../../src/push-server/providers/webpush/outcome.js';
import { buildWebPushRequest } from '../../../src/push-server/providers/webpush/payload.js';
import { isPublicAddress } from '../../../src/push-server/providers/webpush/transport.js';
import { input } from './input.js';

const ece = createRequire(import.meta.url)('http_ece') as { decrypt(body: Buffer, params: object): Buffer };
const vapid = generateVapidCredentials('mailto:ops@example.com');

function subscriber() {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const auth = randomBytes(16).toString('base64url');
  return { ecdh, auth, device: { token: 'https://push.example/sub/1', p256dh: ecdh.getPublicKey().toString('base64url'), auth } };
}

describe('VAPID', () => {
  it("signs a JWT for the push service origin that the app's public key verifies", async () => {
    const now = Date.parse('2026-03-02T09:00:00Z');
    const header = new VapidHeaders().get(vapid, 'https://push.example', now);
    const [, jwt, key] = /^vapid t=([^,]+), k=(.+)$/.exec(header)!;
    expect(key).toBe(vapid.publicKey);
    const point = Buffer.from(vapid.publicKey, 'base64url');
    const publicKey = await importJWK(
      { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') },
      'ES256',
    );
    const { payload } = await jwtVerify(jwt!, publicKey, { currentDate: new Date(now), audience: 'https://push.example' });
    expect(payload).toMatchObject({ sub: 'mailto:ops@example.com', exp: now / 1000 + 12 * 3600 });
    expect(decodeProtectedHeader(jwt!)).toEqual({ typ: 'JWT', alg: 'ES256' });
  });

  it('reuses the header for an hour per push service', () => {
    const headers = new VapidHeaders();
    const first = headers.get(vapid, 'https://a.example', 0);
    expect(headers.get(vapid, 'https://a.example', 59 * 60_000)).toBe(first);
    expect(headers.get(vapid, 'https://b.example', 0)).not.toBe(first);
    expect(headers.get(vapid, 'https://a.example', 61 * 60_000)).not.toBe(first);
  });

  it('refuses keys that do not belong together', () => {
    const other = generateVapidCredentials('mailto:x@example.com');
    expect(() => validateVapidCredentials({ ...vapid, privateKey: other.privateKey })).toThrow(/does not belong/);
    expect(() => validateVapidCredentials({ ...vapid, subject: 'ops@example.com' })).toThrow(/subject/);
  });
});

describe('the Web Push request', () => {
  it('encrypts a payload only the subscription can read, with TTL, Urgency and Topic', () => {
    const { ecdh, auth, device } = subscriber();
    const now = 1_000_000;
    const built = buildWebPushRequest(input({ expiresAt: now + 60_000, highPriority: false }, now, { webpush: vapid }, device));
    if (isOutcome(built)) throw new Error('not built');
    expect(built.headers).toMatchObject({ 'content-encoding': 'aes128gcm', ttl: '60', urgency: 'normal', topic: 'tkt_1' });
    const plaintext = ece.decrypt(built.body as Buffer, { version: 'aes128gcm', privateKey: ecdh, authSecret: auth }).toString();
    expect(JSON.parse(plaintext)).toMatchObject({ title: 'T', body: 'B', data: { ticketId: 'tkt_1' } });
  });

  it('keeps the encrypted body within 4096 bytes, which web-push itself does not check', () => {
    const { device } = subscriber();
    const built = buildWebPushRequest(input({ body: 'x'.repeat(8000) }, 0, { webpush: vapid }, device));
    if (isOutcome(built)) throw new Error('not built');
    expect((built.body as Buffer).length).toBeLessThanOrEqual(4096);
    expect((built.body as Buffer).length).toBeGreaterThan(4000);
  });

  it("turns a ticket id outside RFC 8030's topic alphabet into a 32-character digest", () => {
    const { device } = subscriber();
    const built = buildWebPushRequest(
      input({ collapseKey: 'ticket/with spaces and far more than thirty-two characters' }, 0, { webpush: vapid }, device),
    );
    if (isOutcome(built)) throw new Error('not built');
    expect(built.headers.topic).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });
});

describe('Web Push answers and targets', () => {
  const answer = (status: number, headers: Record<string, string> = {}) => webPushOutcome({ status, headers, body: '' }, 0);

  it('turns each answer into one outcome, never a pause', () => {
    expect([201, 202].map((s) => answer(s).kind)).toEqual(['delivered', 'delivered']);
    expect([404, 410].map((s) => answer(s).kind)).toEqual(['token_gone', 'token_gone']);
    expect(answer(429, { 'retry-after': '12' })).toMatchObject({ kind: 'retry_later', cause: 'rate_limited', retryAfterMs: 12_000 });
    expect(answer(503).kind).toBe('retry_later');
    expect([400, 401, 403, 413].map((s) => answer(s).kind)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
  });

  it('tells public addresses from private, loopback and link-local ones', () => {
    expect(['8.8.8.8', '2a00:1450:4007::1'].map(isPublicAddress)).toEqual([true, true]);
    expect(
      ['127.0.0.1', '10.1.2.3', '192.168.0.1', '169.254.169.254', '::1', 'fc00::1', '::ffff:127.0.0.1', '0.0.0.0']
        .map(isPublicAddress)
        .every((x) => !x),
    ).toBe(true);
  });
});
