import { createContext, runInContext } from 'node:vm';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PushClient, PushClientError, applicationServerKey, webPushDevice } from '../../src/clients/push-client.js';
import { startFakePushProviders, type FakePushProviders } from '../../src/fakes/push-providers.js';
import { describeEachEngine } from '../support/engines.js';
import {
  allDelivered,
  apnsToken,
  createAppOnFakes,
  messageBody,
  postSigned,
  startTestPushServer,
  waitForPushes,
  type TestApp,
  type TestPushServer,
} from './support.js';

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

  it('builds into a browser bundle that needs nothing from Node and registers a device from a context without Node', async () => {
    const bundle = await browserBundleOfPushClient();
    // Vite swaps a Node built-in for an empty "browser external" module and leaves require() calls as they are.
    expect(bundle).not.toMatch(/vite[-_]browser[-_]external|\brequire\(|^\s*import\b/m);
    // Only what a browser page has: no process, Buffer, require or module.
    const page = createContext({
      fetch,
      URL,
      Headers,
      Request,
      Response,
      atob,
      btoa,
      TextEncoder,
      TextDecoder,
      AbortController,
      setTimeout,
      clearTimeout,
      console,
    });
    runInContext(bundle, page);
    const browser = page.queuebellPushClient as typeof import('../../src/clients/push-client.js');
    const browserClient = new browser.PushClient({ baseUrl: server.base, appId: app.appId, appKey: app.appKey });
    const vapidPublicKey = await browserClient.vapidPublicKey();
    expect(Array.from(browser.applicationServerKey(vapidPublicKey))).toEqual(Array.from(Buffer.from(app.vapidPublicKey, 'base64url')));
    const subscription = fakes.webpush.createSubscription({ applicationServerKey: app.vapidPublicKey });
    const registered = await browserClient.register(browser.webPushDevice({ toJSON: () => subscription }, 'fr_FR'));
    expect((await browserClient.getPushId(registered)).devices.map((d) => d.provider)).toEqual(['webpush']);
  });

  it("subscribes a browser with the app's VAPID key, registers it and follows its pushes", async () => {
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

  it("throws the server's error code and message", async () => {
    const error = await client.getPushId({ pushId: 'pid_x', secret: 'wrong' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PushClientError);
    expect(error).toMatchObject({ status: 401, code: 'PUSH_ID_SECRET_MISMATCH' });
    await expect(client.register({ provider: 'apns', token: 'zz', environment: 'production' })).rejects.toMatchObject({
      status: 400,
      code: 'INVALID_DEVICE',
    });
  });
});

/** src/clients/push-client.ts as Vite builds it for a browser: one script that sets `queuebellPushClient`. */
async function browserBundleOfPushClient(): Promise<string> {
  const result = await build({
    configFile: false,
    logLevel: 'silent',
    root: fileURLToPath(new URL('../..', import.meta.url)),
    build: {
      write: false,
      minify: false,
      target: 'es2020',
      lib: { entry: 'src/clients/push-client.ts', formats: ['iife'], name: 'queuebellPushClient' },
    },
  });
  const chunks = (Array.isArray(result) ? result : [result]).flatMap((output) => ('output' in output ? output.output : []));
  expect(chunks).toHaveLength(1);
  const chunk = chunks[0]!;
  if (chunk.type !== 'chunk') throw new Error(`expected a script, got ${chunk.fileName}`);
  return chunk.code;
}
