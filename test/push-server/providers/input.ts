/** A push input for provider unit tests: an app with APNs credentials, FCM and Web Push as given. */
import { generateKeyPairSync } from 'node:crypto';
import type { AppContext, PushInput } from '../../../src/push-server/providers/provider.js';

export const keyPair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
export const credentials = {
  keyP8: keyPair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  keyId: 'ABCDE12345',
  teamId: 'TEAM123456',
  topic: 'app.test',
  baseUrl: null,
  sandboxBaseUrl: null,
  ca: null,
};

export function input(
  overrides: Partial<PushInput['notification']> = {},
  now = Date.parse('2026-03-02T09:00:00Z'),
  app: Partial<AppContext> = {},
  device: Partial<PushInput['device']> = {},
): PushInput {
  return {
    app: {
      appId: 'app_1',
      name: 'A',
      titles: {},
      apns: credentials,
      fcm: null,
      webpush: null,
      version: 1,
      ...app,
    } as unknown as AppContext,
    device: { deviceId: 'dev_1', token: 'ab'.repeat(32), environment: 'production', p256dh: null, auth: null, ...device },
    notification: {
      title: 'T',
      body: 'B',
      data: { action: 'TICKET_CALLED', ticketId: 'tkt_1', label: 'A1', state: '200', counter: 'C' },
      collapseKey: 'tkt_1',
      highPriority: true,
      expiresAt: now + 300_000,
      ...overrides,
    },
    now,
  };
}
