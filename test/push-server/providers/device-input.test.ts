import { createECDH, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { toDeviceFields } from '../../../src/push-server/registration/device-input.js';

const ecdh = createECDH('prime256v1');
ecdh.generateKeys();
const keys = { p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') };
const webpush = (endpoint: string) => ({ provider: 'webpush' as const, subscription: { endpoint, keys } });

describe('device input', () => {
  it('refuses Web Push endpoints on private, loopback or plain-http targets unless local setups are allowed', () => {
    for (const endpoint of [
      'https://127.0.0.1/push',
      'https://localhost/x',
      'https://10.0.0.7/x',
      'https://[::1]/x',
      'https://169.254.169.254/latest',
      'http://push.example/x',
    ]) {
      expect(() => toDeviceFields(webpush(endpoint), false)).toThrow();
    }
    expect(toDeviceFields(webpush('https://fcm.googleapis.com/fcm/send/abc'), false).token).toBe('https://fcm.googleapis.com/fcm/send/abc');
    expect(toDeviceFields(webpush('http://127.0.0.1:9999/push/1'), true).provider).toBe('webpush');
  });

  it('normalises APNs tokens and locales so the same token is recognised however it is written', () => {
    const upper = toDeviceFields({ provider: 'apns', token: 'AB'.repeat(32), environment: 'production', locale: 'fr-fr' }, false);
    const lower = toDeviceFields({ provider: 'apns', token: 'ab'.repeat(32), environment: 'production' }, false);
    expect(upper.token_hash).toBe(lower.token_hash);
    expect(upper.locale).toBe('fr_FR');
  });

  it('refuses a p256dh that is not a point on the curve', () => {
    const notOnCurve = Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 1)]).toString('base64url');
    expect(() =>
      toDeviceFields(
        { provider: 'webpush', subscription: { endpoint: 'https://push.example/x', keys: { ...keys, p256dh: notOnCurve } } },
        false,
      ),
    ).toThrow(/p256dh/);
  });
});
