import { generateKeyPairSync } from 'node:crypto';
import { importSPKI, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/platform/clock.js';
import { ApnsProviderTokens, validateApnsCredentials } from '../../../src/push-server/providers/apns/credentials.js';
import { apnsOutcome } from '../../../src/push-server/providers/apns/outcome.js';
import { buildApnsRequest } from '../../../src/push-server/providers/apns/payload.js';
import { isOutcome } from '../../../src/push-server/providers/provider.js';
import { credentials, input, keyPair } from './input.js';

const { publicKey } = keyPair;

describe('APNs provider tokens', () => {
  it("signs an ES256 token Apple can verify with the key's public part", async () => {
    const clock = new ManualClock();
    const jwt = new ApnsProviderTokens().get(credentials, clock.now());
    const key = await importSPKI(publicKey.export({ type: 'spki', format: 'pem' }).toString(), 'ES256');
    const { payload, protectedHeader } = await jwtVerify(jwt, key, { algorithms: ['ES256'], currentDate: new Date(clock.now()) });
    expect(protectedHeader).toEqual({ alg: 'ES256', kid: 'ABCDE12345' });
    expect(payload).toEqual({ iss: 'TEAM123456', iat: Math.floor(clock.now() / 1000) });
  });

  it("reuses one token for 40 minutes and signs a new one after, inside Apple's 20-to-60-minute window", () => {
    const clock = new ManualClock();
    const tokens = new ApnsProviderTokens();
    const first = tokens.get(credentials, clock.now());
    clock.advance(39 * 60_000);
    expect(tokens.get(credentials, clock.now())).toBe(first);
    clock.advance(2 * 60_000);
    expect(tokens.get(credentials, clock.now())).not.toBe(first);
  });

  it('replaces only the token Apple refused', () => {
    const tokens = new ApnsProviderTokens();
    const first = tokens.get(credentials, 1_000_000);
    tokens.invalidate(credentials, 'some.other.token');
    expect(tokens.get(credentials, 1_000_000)).toBe(first);
    tokens.invalidate(credentials, first);
    expect(tokens.get(credentials, 1_000_000)).not.toBe(first);
  });

  it('refuses keys that are not P-256', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => validateApnsCredentials({ ...credentials, keyP8: rsa })).toThrow(/P-256/);
  });
});

describe('the APNs request', () => {
  it('carries topic, push type, priority, expiration and collapse id', () => {
    const built = buildApnsRequest(input({ highPriority: false }));
    if (isOutcome(built)) throw new Error('not built');
    expect(built.headers).toMatchObject({
      ':path': `/3/device/${'ab'.repeat(32)}`,
      'apns-topic': 'app.test',
      'apns-push-type': 'alert',
      'apns-priority': '5',
      'apns-expiration': String(Math.floor(Date.parse('2026-03-02T09:05:00Z') / 1000)),
      'apns-collapse-id': 'tkt_1',
    });
  });

  it("digests a collapse key longer than Apple's 64 bytes", () => {
    const built = buildApnsRequest(input({ collapseKey: 'k'.repeat(100) }));
    if (isOutcome(built)) throw new Error('not built');
    expect(Buffer.byteLength(built.headers['apns-collapse-id']!)).toBeLessThanOrEqual(64);
  });

  it('shortens a long text to fit 4096 bytes and refuses what cannot fit', () => {
    const built = buildApnsRequest(input({ body: 'x'.repeat(10_000) }));
    if (isOutcome(built)) throw new Error('not built');
    expect(Buffer.byteLength(built.body)).toBeLessThanOrEqual(4096);
    expect(buildApnsRequest(input({ title: 't'.repeat(5000) }))).toMatchObject({ kind: 'rejected' });
  });
});

describe('APNs answers', () => {
  const answer = (status: number, reason?: string, headers: Record<string, string> = {}) =>
    apnsOutcome({ status, headers, body: reason ? JSON.stringify({ reason, ...(status === 410 ? { timestamp: 1234 } : {}) }) : '' }, 0);

  it('turns each answer into one outcome', () => {
    expect(answer(200).kind).toBe('delivered');
    expect(answer(410, 'Unregistered')).toMatchObject({ kind: 'token_gone', goneSince: 1234 });
    expect(answer(400, 'BadDeviceToken').kind).toBe('token_gone');
    expect(answer(400, 'DeviceTokenNotForTopic').kind).toBe('rejected');
    expect(answer(413, 'PayloadTooLarge').kind).toBe('rejected');
    expect(answer(403, 'InvalidProviderToken').kind).toBe('credentials_broken');
    expect(answer(429, 'TooManyProviderTokenUpdates').kind).toBe('credentials_broken');
    expect(answer(429, 'TooManyRequests', { 'retry-after': '7' })).toMatchObject({
      kind: 'retry_later',
      cause: 'device_rate_limited',
      retryAfterMs: 7000,
    });
    expect(answer(500, 'InternalServerError')).toMatchObject({ kind: 'retry_later', cause: 'provider_unavailable' });
    expect(answer(503, 'ServiceUnavailable')).toMatchObject({ kind: 'retry_later', cause: 'provider_unavailable' });
  });
});
