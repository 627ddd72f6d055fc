import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFakeWebPush, type FakeWebPush } from '../../src/fakes/webpush/server.js';
import { describeEachEngine } from '../support/engines.js';
import { APNS_TOKEN, apnsToken, startTestPushServer, type TestPushServer } from './support.js';

describeEachEngine('registration of pushIds and devices', (engine) => {
  let server: TestPushServer;
  let webpush: FakeWebPush;
  let appId: string;
  let appKey: string;
  let serverKey: string;
  let otherAppKey: string;

  const register = (body: unknown, key = appKey, app = appId) =>
    server.request('POST', `/v1/apps/${app}/devices`, { body, headers: { 'x-app-key': key } });
  const deviceCount = async () =>
    Number(
      (
        await server.deps.db
          .selectFrom('devices')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const expectRefused = async (send: () => Promise<{ status: number; body: any }>, status: number, code: string) => {
    const before = await deviceCount();
    const response = await send();
    expect({ status: response.status, code: response.body?.error?.code }).toEqual({ status, code });
    expect(await deviceCount()).toBe(before);
    return response;
  };

  beforeAll(async () => {
    server = await startTestPushServer(engine);
    webpush = await startFakeWebPush();
    const app = await server.admin('POST', '/admin/apps', { name: 'reg' });
    ({ appId, appKey, serverKey } = app.body);
    otherAppKey = (await server.admin('POST', '/admin/apps', { name: 'other' })).body.appKey;
  });
  afterAll(async () => {
    await server.close();
    await webpush.close();
  });

  it('answers a new pushId of at least 128 random bits and a secret for an APNs device', async () => {
    const response = await register({ provider: 'apns', token: APNS_TOKEN.toUpperCase(), environment: 'sandbox', locale: 'fr-FR' });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      pushId: expect.stringMatching(/^pid_[A-Za-z0-9_-]{32}$/),
      secret: expect.stringMatching(/^pis_/),
      deviceId: expect.stringMatching(/^dev_/),
    });
    expect(Buffer.from(response.body.pushId.slice(4), 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    const view = await server.request('GET', `/v1/push-ids/${response.body.pushId}`, { token: response.body.secret });
    expect(view.body.devices).toEqual([
      expect.objectContaining({ provider: 'apns', environment: 'sandbox', locale: 'fr_FR', tokenEnd: 'aaaaaa' }),
    ]);
  });

  it('stores the pushId secret hashed, never in clear', async () => {
    const { body } = await register({ provider: 'fcm', token: 'fcm-hash-check' });
    const row = await server.deps.db.selectFrom('push_ids').selectAll().where('push_id', '=', body.pushId).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(body.secret);
  });

  it('moves a token registered again to the new pushId instead of duplicating it', async () => {
    const first = await register({ provider: 'fcm', token: 'fcm-moving' });
    const before = await deviceCount();
    const second = await register({ provider: 'fcm', token: 'fcm-moving', locale: 'de' });
    expect(second.body.deviceId).toBe(first.body.deviceId);
    expect(await deviceCount()).toBe(before);
    expect((await server.request('GET', `/v1/push-ids/${first.body.pushId}`, { token: first.body.secret })).body.devices).toEqual([]);
    expect((await server.request('GET', `/v1/push-ids/${second.body.pushId}`, { token: second.body.secret })).body.devices[0].locale).toBe(
      'de',
    );
  });

  it('adds, updates and removes devices with the secret, and logs out by removing them all', async () => {
    const { body: owner } = await register({ provider: 'apns', token: apnsToken(100), environment: 'production' });
    const auth = { token: owner.secret };
    const added = await server.request('POST', `/v1/push-ids/${owner.pushId}/devices`, {
      ...auth,
      body: { provider: 'webpush', subscription: webpush.createSubscription(), locale: 'en_GB' },
    });
    expect(added.status).toBe(201);
    const renewed = await server.request('PUT', `/v1/push-ids/${owner.pushId}/devices/${owner.deviceId}`, {
      ...auth,
      body: { provider: 'apns', token: apnsToken(101), environment: 'production' },
    });
    expect(renewed.status).toBe(204);
    const view = await server.request('GET', `/v1/push-ids/${owner.pushId}`, auth);
    expect(view.body.devices.map((d: any) => d.tokenEnd)).toContain('000065');
    expect((await server.request('DELETE', `/v1/push-ids/${owner.pushId}/devices/${added.body.deviceId}`, auth)).status).toBe(204);
    expect((await server.request('DELETE', `/v1/push-ids/${owner.pushId}/devices/${added.body.deviceId}`, auth)).status).toBe(404);
    expect((await server.request('DELETE', `/v1/push-ids/${owner.pushId}`, auth)).status).toBe(204);
    expect((await server.request('GET', `/v1/push-ids/${owner.pushId}`, auth)).body.devices).toEqual([]);
    expect(
      (await server.request('POST', `/v1/push-ids/${owner.pushId}/devices`, { ...auth, body: { provider: 'fcm', token: 'after-logout' } }))
        .status,
    ).toBe(201);
  });

  it("refuses every pushId route without the secret, with another pushId's secret, or with a made-up pushId", async () => {
    const a = (await register({ provider: 'fcm', token: 'fcm-owner-a' })).body;
    const b = (await register({ provider: 'fcm', token: 'fcm-owner-b' })).body;
    const attempts = [
      () => server.request('GET', `/v1/push-ids/${a.pushId}`),
      () => server.request('GET', `/v1/push-ids/${a.pushId}`, { token: b.secret }),
      () => server.request('GET', `/v1/push-ids/pid_madeup`, { token: a.secret }),
      () => server.request('POST', `/v1/push-ids/${a.pushId}/devices`, { token: b.secret, body: { provider: 'fcm', token: 'stolen' } }),
      () => server.request('DELETE', `/v1/push-ids/${a.pushId}/devices/${a.deviceId}`, { token: b.secret }),
      () => server.request('DELETE', `/v1/push-ids/${a.pushId}`, { token: b.secret }),
      () => server.request('GET', `/v1/push-ids/${a.pushId}/pushes`, { token: b.secret }),
    ];
    for (const attempt of attempts) await expectRefused(attempt, 401, 'PUSH_ID_SECRET_MISMATCH');
    expect((await server.request('DELETE', `/v1/push-ids/${b.pushId}/devices/${a.deviceId}`, { token: b.secret })).status).toBe(404);
  });

  it("refuses registration without the app key, with another app's key, or for an unknown app", async () => {
    const body = { provider: 'fcm', token: 'fcm-nokey' };
    await expectRefused(() => server.request('POST', `/v1/apps/${appId}/devices`, { body }), 401, 'INVALID_APP_KEY');
    await expectRefused(() => register(body, otherAppKey), 401, 'INVALID_APP_KEY');
    await expectRefused(() => register(body, appKey, 'app_unknown'), 404, 'APP_NOT_FOUND');
  });

  it('names what is wrong with a device body, and stores nothing', async () => {
    const cases: [unknown, number, string][] = [
      [{ provider: 'apns', token: 'not-hex', environment: 'production' }, 400, 'INVALID_DEVICE'],
      [{ provider: 'apns', token: APNS_TOKEN }, 400, 'INVALID_DEVICE'],
      [{ provider: 'apns', token: APNS_TOKEN, environment: 'staging' }, 400, 'VALIDATION_FAILED'],
      [{ provider: 'fcm' }, 400, 'INVALID_DEVICE'],
      [{ provider: 'fcm', token: 'has space' }, 400, 'INVALID_DEVICE'],
      [{ provider: 'pager', token: 'x' }, 400, 'VALIDATION_FAILED'],
      [{ provider: 'fcm', token: 'x', admin: true }, 400, 'VALIDATION_FAILED'],
      [{ provider: 'fcm', token: 42 }, 400, 'VALIDATION_FAILED'],
      [{ provider: 'fcm', token: 'x', locale: 'french please' }, 400, 'INVALID_DEVICE'],
      [
        { provider: 'webpush', subscription: { endpoint: 'https://push.example/x', keys: { p256dh: 'AAAA', auth: 'AAAA' } } },
        400,
        'INVALID_DEVICE',
      ],
      [
        { provider: 'webpush', subscription: { endpoint: 'ftp://push.example/x', keys: webpush.createSubscription().keys } },
        400,
        'INVALID_DEVICE',
      ],
      [{ provider: 'webpush', token: 'x' }, 400, 'INVALID_DEVICE'],
    ];
    for (const [body, status, code] of cases) await expectRefused(() => register(body), status, code);
    await expectRefused(
      () => server.request('POST', `/v1/apps/${appId}/devices`, { raw: '{"provider":', headers: { 'x-app-key': appKey } }),
      400,
      'MALFORMED_JSON',
    );
  });

  it('lets a backend with the server key put devices under its own pushIds, idempotently', async () => {
    const put = () =>
      server.request('PUT', `/v1/apps/${appId}/push-ids/user-42/devices`, {
        body: { provider: 'fcm', token: 'fcm-backend' },
        headers: { 'x-server-key': serverKey },
      });
    const first = await put();
    expect(first.status).toBe(200);
    const before = await deviceCount();
    expect((await put()).body).toEqual(first.body);
    expect(await deviceCount()).toBe(before);
    await expectRefused(
      () =>
        server.request('PUT', `/v1/apps/${appId}/push-ids/user-43/devices`, {
          body: { provider: 'fcm', token: 'x1' },
          headers: { 'x-server-key': appKey },
        }),
      401,
      'INVALID_SERVER_KEY',
    );
    await expectRefused(
      () =>
        server.request('PUT', `/v1/apps/${appId}/push-ids/user%2F43/devices`, {
          body: { provider: 'fcm', token: 'x2' },
          headers: { 'x-server-key': serverKey },
        }),
      400,
      'VALIDATION_FAILED',
    );
    expect((await server.request('DELETE', `/v1/apps/${appId}/push-ids/user-42`, { headers: { 'x-server-key': serverKey } })).status).toBe(
      204,
    );
  });

  it('caps the devices of one pushId', async () => {
    const { body: owner } = await register({ provider: 'fcm', token: 'cap-0' });
    for (let i = 1; i < 20; i += 1) {
      expect(
        (
          await server.request('POST', `/v1/push-ids/${owner.pushId}/devices`, {
            token: owner.secret,
            body: { provider: 'fcm', token: `cap-${i}` },
          })
        ).status,
      ).toBe(201);
    }
    await expectRefused(
      () =>
        server.request('POST', `/v1/push-ids/${owner.pushId}/devices`, { token: owner.secret, body: { provider: 'fcm', token: 'cap-20' } }),
      409,
      'TOO_MANY_DEVICES',
    );
    expect(
      (
        await server.request('POST', `/v1/push-ids/${owner.pushId}/devices`, {
          token: owner.secret,
          body: { provider: 'fcm', token: 'cap-5', locale: 'fr' },
        })
      ).status,
    ).toBe(201);
  });

  it('serves the VAPID public key to web pages without credentials', async () => {
    const response = await server.request('GET', `/v1/apps/${appId}/vapid-public-key`);
    expect(response.status).toBe(200);
    expect(Buffer.from(response.body.vapidPublicKey, 'base64url')).toHaveLength(65);
    expect((await server.request('GET', '/v1/apps/app_nope/vapid-public-key')).status).toBe(404);
  });
});
