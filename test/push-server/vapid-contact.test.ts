import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, importJWK, jwtVerify } from 'jose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFakePushProviders, type FakePushProviders } from '../../src/fakes/push-providers.js';
import { loadConfig } from '../../src/platform/config.js';
import { describeEachEngine } from '../support/engines.js';
import {
  createAppOnFakes,
  inMinutes,
  messageBody,
  postSigned,
  registerDevice,
  startTestPushServer,
  type TestPushServer,
} from './support.js';

/** The operator's contact as `queuebell push-server` derives it from QUEUEBELL_PUSH_PUBLIC_URL. */
const operatorContact = loadConfig({
  QUEUEBELL_DATA_DIR: mkdtempSync(join(tmpdir(), 'qb-vapid-')),
  QUEUEBELL_PUSH_PUBLIC_URL: 'https://push.example.com/',
}).pushVapidSubject;

describeEachEngine('the VAPID contact of Web Push requests', (engine) => {
  let fakes: FakePushProviders;
  let server: TestPushServer;

  beforeAll(async () => {
    fakes = await startFakePushProviders();
    server = await startTestPushServer(engine, { vapidSubject: operatorContact });
    server.startWorker();
  });
  afterAll(async () => {
    await server.close();
    await fakes.close();
  });

  /** Pushes once to a new subscription of the app and returns the claims of the VAPID JWT the push service received, verified. */
  async function claimsReceived(webpush?: Record<string, string>) {
    const app = await createAppOnFakes(server, fakes, webpush ? { webpush } : {});
    const subscription = fakes.webpush.createSubscription({ applicationServerKey: app.vapidPublicKey });
    const { pushId } = await registerDevice(server, app, { provider: 'webpush', subscription });
    await postSigned(server, app.appId, app.secret, messageBody(pushId), { deliverBy: inMinutes(server, 5) });
    const id = fakes.webpush.subscriptionIdOf(subscription.endpoint);
    const [delivery] = await fakes.webpush.control.waitFor(1, (d) => d.subscriptionId === id);
    const [, jwt, key] = /^vapid t=([^,]+), k=(.+)$/.exec(delivery!.headers.authorization)!;
    const point = Buffer.from(key!, 'base64url');
    const publicKey = await importJWK(
      { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') },
      'ES256',
    );
    const { payload } = await jwtVerify(jwt!, publicKey, { audience: new URL(subscription.endpoint).origin });
    expect(decodeJwt(jwt!)).toEqual(payload);
    return { payload, view: (await server.admin('GET', `/admin/apps/${app.appId}`)).body };
  }

  it("names the operator's public URL when the app gives no contact of its own", async () => {
    expect(operatorContact).toBe('https://push.example.com');
    const { payload, view } = await claimsReceived();
    expect(payload.sub).toBe('https://push.example.com');
    expect(view.webpush.subject).toBe('https://push.example.com');
  });

  it("names the app's own contact when it gives one", async () => {
    const { payload, view } = await claimsReceived({ subject: 'mailto:ops@example.com' });
    expect(payload.sub).toBe('mailto:ops@example.com');
    expect(view.webpush.subject).toBe('mailto:ops@example.com');
  });

  it("takes the placeholder older versions stored for apps without a contact as none, and names the operator's", async () => {
    const { payload } = await claimsReceived({ subject: 'mailto:push@queuebell.invalid' });
    expect(payload.sub).toBe('https://push.example.com');
  });
});
