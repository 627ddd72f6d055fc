import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFakePushProviders, type FakePushProviders } from '../../src/fakes/push-providers.js';
import { describeEachEngine } from '../support/engines.js';
import {
  ADMIN_TOKEN,
  allDelivered,
  apnsToken,
  createAppOnFakes,
  inMinutes,
  messageBody,
  postSigned,
  registerDevice,
  startTestPushServer,
  waitForPushes,
  type TestApp,
  type TestPushServer,
} from './support.js';

describeEachEngine('delivery through the three providers', (engine) => {
  let fakes: FakePushProviders;
  let server: TestPushServer;
  let app: TestApp;

  beforeAll(async () => {
    fakes = await startFakePushProviders();
    server = await startTestPushServer(engine);
    app = await createAppOnFakes(server, fakes);
    server.startWorker();
  });
  afterAll(async () => {
    await server.close();
    await fakes.close();
  });

  it("pushes a called ticket to an APNs device with Apple's headers and a high priority", async () => {
    const token = apnsToken(1);
    const { pushId } = await registerDevice(server, app, { provider: 'apns', token, environment: 'production', locale: 'fr_FR' });
    const deliverBy = inMinutes(server, 5);
    expect((await postSigned(server, app.appId, app.secret, messageBody(pushId, { ticketId: 'tkt_apns1' }), { deliverBy })).status).toBe(
      202,
    );
    const [delivery] = await fakes.apns.control.waitFor(1, (d) => d.token === token);
    expect(delivery!.headers).toMatchObject({
      'apns-topic': fakes.apns.topic,
      'apns-push-type': 'alert',
      'apns-priority': '10',
      'apns-expiration': String(Math.floor(Date.parse(deliverBy) / 1000)),
      'apns-collapse-id': 'tkt_apns1',
    });
    expect(delivery!.payload).toEqual({
      aps: { alert: { title: 'Votre ticket', body: "Ticket A012, it's your turn: please go to counter 3." }, sound: 'default' },
      action: 'TICKET_CALLED',
      ticketId: 'tkt_apns1',
      label: 'A012',
      state: '200',
      counter: 'Counter 3',
    });
    const results = await waitForPushes(server, pushId, allDelivered(1));
    expect(results.messages[0].pushes[0]).toMatchObject({ provider: 'apns', status: 'delivered', attempts: 1, lastStatus: 200 });
  });

  it('pushes a booked ticket to an FCM device with android and apns blocks at normal priority', async () => {
    const { pushId } = await registerDevice(server, app, { provider: 'fcm', token: 'fcm-token-1', locale: 'de_DE' });
    await postSigned(
      server,
      app.appId,
      app.secret,
      messageBody(pushId, { action: 'TICKET_BOOKED', state: 0, counter: null, ticketId: 'tkt_fcm1', lang: 'en_GB' }),
      { deliverBy: inMinutes(server, 60) },
    );
    const [delivery] = await fakes.fcm.control.waitFor(1, (d) => d.token === 'fcm-token-1');
    const message = delivery!.message as any;
    expect(message.notification).toEqual({ title: 'Your ticket (UK)', body: expect.stringContaining('A012') });
    expect(message.data).toEqual({ action: 'TICKET_BOOKED', ticketId: 'tkt_fcm1', label: 'A012', state: '0', counter: '' });
    expect(message.android).toMatchObject({ collapse_key: 'tkt_fcm1', priority: 'NORMAL', notification: { tag: 'tkt_fcm1' } });
    expect(Number.parseInt(message.android.ttl, 10)).toBeGreaterThan(3500);
    expect(Number.parseInt(message.android.ttl, 10)).toBeLessThanOrEqual(3600);
    expect(message.apns.headers).toMatchObject({ 'apns-priority': '5', 'apns-collapse-id': 'tkt_fcm1' });
    await waitForPushes(server, pushId, allDelivered(1));
  });

  it('encrypts a push for a Web Push subscription that only its private key opens', async () => {
    const subscription = fakes.webpush.createSubscription({ applicationServerKey: app.vapidPublicKey });
    const { pushId } = await registerDevice(server, app, { provider: 'webpush', subscription });
    await postSigned(server, app.appId, app.secret, messageBody(pushId, { action: 'TICKET_ALERTED', state: 100, ticketId: 'tkt_web1' }), {
      deliverBy: inMinutes(server, 15),
    });
    const id = fakes.webpush.subscriptionIdOf(subscription.endpoint);
    const [delivery] = await fakes.webpush.control.waitFor(1, (d) => d.subscriptionId === id);
    expect(JSON.parse(delivery!.payload)).toEqual({
      title: 'Your ticket',
      body: expect.stringContaining('A012'),
      data: { action: 'TICKET_ALERTED', ticketId: 'tkt_web1', label: 'A012', state: '100', counter: 'Counter 3' },
    });
    expect(delivery!.headers).toMatchObject({ urgency: 'high', topic: 'tkt_web1' });
    expect(Number(delivery!.headers.ttl)).toBeGreaterThan(800);
    expect(Number(delivery!.headers.ttl)).toBeLessThanOrEqual(900);
  });

  it('fans one message out to every device of the pushId and reports each push', async () => {
    const first = await registerDevice(server, app, { provider: 'apns', token: apnsToken(2), environment: 'sandbox' });
    const add = (device: object) => server.request('POST', `/v1/push-ids/${first.pushId}/devices`, { body: device, token: first.secret });
    expect((await add({ provider: 'fcm', token: 'fcm-token-2' })).status).toBe(201);
    expect((await add({ provider: 'webpush', subscription: fakes.webpush.createSubscription() })).status).toBe(201);
    const ingest = await postSigned(server, app.appId, app.secret, messageBody(first.pushId, { ticketId: 'tkt_fan' }));
    expect(ingest.body).toMatchObject({ status: 'accepted', pushes: 3, duplicate: false });
    const results = await waitForPushes(server, first.pushId, allDelivered(3));
    expect(results.messages[0].pushes.map((p: any) => p.provider).sort()).toEqual(['apns', 'fcm', 'webpush']);
    const own = await server.request('GET', `/v1/push-ids/${first.pushId}/pushes`, { token: first.secret });
    expect(own.body.messages[0].webhookId).toBe(results.messages[0].webhookId);
    expect((await server.request('GET', `/v1/push-ids/${first.pushId}/pushes`, { token: ADMIN_TOKEN.slice(1) })).status).toBe(401);
  });
});
