import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PushClient, PushClientError, applicationServerKey, webPushDevice } from '../../src/clients/push-client.js';
import { startFakePushProviders, type FakePushProviders } from '../../src/fakes/push-providers.js';
import { describeEachEngine } from '../support/engines.js';
import { allDelivered, apnsToken, createAppOnFakes, messageBody, postSigned, startTestPushServer, waitForPushes, type TestApp, type TestPushServer } from './support.js';

describeEachEngine('the push client', (engine) => {
  let server: TestPushServer;
  let fakes: FakePushProviders;
  let app: TestApp;
  let client: PushClient;

  beforeAll(async () => {
    server = await startTestPushServer(engine);
    fakes = await startFakePushProviders();
    app = await createAppOnFakes(server, fakes);
    client = new PushClient({ baseUrl: `${server.base}/`, appId: app.appId, appKey: app.appKey });
    server.startWorker();
  });
  afterAll(async () => {
    await server.close();
    await fakes.close();
  });

  it('imports nothing from Node, so a browser bundle can use it', () => {
    const source = readFileSync(new URL('../../src/clients/push-client.ts', import.meta.url), 'utf8');
    expect(source).not.toMatch(/from ['"](node:|fs|crypto|http)/);
  });

  it('subscribes a browser with the app\'s VAPID key, registers it and follows its pushes', async () => {
    const key = applicationServerKey(await client.vapidPublicKey());
    expect(key).toHaveLength(65);
    expect(Buffer.from(key).toString('base64url')).toBe(app.vapidPublicKey);
    const subscription = fakes.webpush.createSubscription({ applicationServerKey: app.vapidPublicKey });
    const registered = await client.register(webPushDevice({ toJSON: () => subscription }, 'fr_FR'));
    const phone = await client.addDevice(registered, { provider: 'apns', token: apnsToken(0xc1), environment: 'production' });
    expect((await client.getPushId(registered)).devices.map((d) => d.provider).sort()).toEqual(['apns', 'webpush']);
    await postSigned(server, app.appId, app.secret, messageBody(registered.pushId));
    await waitForPushes(server, registered.pushId, allDelivered(2));
    expect((await client.pushes(registered)).messages[0]!.pushes.map((p) => p.status)).toEqual(['delivered', 'delivered']);
    await client.updateDevice(registered, phone.deviceId, { provider: 'apns', token: apnsToken(0xc2), environment: 'production' });
    await client.removeDevice(registered, phone.deviceId);
    await client.logout(registered);
    expect((await client.getPushId(registered)).devices).toEqual([]);
  });

  it('throws the server\'s error code and message', async () => {
    const error = await client.getPushId({ pushId: 'pid_x', secret: 'wrong' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PushClientError);
    expect(error).toMatchObject({ status: 401, code: 'PUSH_ID_SECRET_MISMATCH' });
    await expect(client.register({ provider: 'apns', token: 'zz', environment: 'production' })).rejects.toMatchObject({ status: 400, code: 'INVALID_DEVICE' });
  });
});
