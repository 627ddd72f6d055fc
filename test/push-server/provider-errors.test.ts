import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { startFakePushProviders, type FakePushProviders } from '../../src/fakes/push-providers.js';
import { describeEachEngine } from '../support/engines.js';
import {
  allSettled,
  apnsToken,
  awaitingRetry,
  createAppOnFakes,
  inMinutes,
  messageBody,
  postSigned,
  registerDevice,
  startTestPushServer,
  waitForPushes,
  type PushState,
  type TestApp,
  type TestPushServer,
} from './support.js';

describeEachEngine('provider answers and what they do', (engine) => {
  let fakes: FakePushProviders;
  let server: TestPushServer;
  let app: TestApp;
  let n = 0;

  beforeAll(async () => {
    fakes = await startFakePushProviders();
    server = await startTestPushServer(engine);
    app = await createAppOnFakes(server, fakes);
    server.startWorker();
  });
  afterEach(() => {
    fakes.apns.control.clearRules();
    fakes.fcm.control.clearRules();
    fakes.webpush.control.clearRules();
    server.clock.offset = 0;
  });
  afterAll(async () => {
    await server.close();
    await fakes.close();
  });

  /** Registers the device, sends one message to it, and returns the pushId and the push's results. */
  const pushTo = async (device: Record<string, unknown>, done: (pushes: PushState[]) => boolean, deliverBy = inMinutes(server, 30)) => {
    const { pushId, deviceId } = await registerDevice(server, app, device);
    await postSigned(server, app.appId, app.secret, messageBody(pushId, { ticketId: `tkt_err_${++n}` }), { deliverBy });
    const results = await waitForPushes(server, pushId, done);
    return { pushId, deviceId, push: results.messages[0].pushes[0] };
  };
  const settled = allSettled;
  const retrying = awaitingRetry;
  const deviceExists = async (deviceId: string) =>
    (await server.deps.db.selectFrom('devices').select('id').where('id', '=', deviceId).executeTakeFirst()) !== undefined;
  const later = (ms: number) => {
    server.clock.advance(ms);
    server.deps.signal.notify();
  };
  const untilAfter = (push: { nextAttemptAt: string }) => Date.parse(push.nextAttemptAt) - server.clock.now();

  it('removes an APNs device answered 410 Unregistered, and later messages find no device', async () => {
    const token = apnsToken(0x410);
    fakes.apns.control.respond(token, { status: 410, reason: 'Unregistered' });
    const { pushId, deviceId, push } = await pushTo({ provider: 'apns', token, environment: 'production' }, settled);
    expect(push).toMatchObject({ status: 'token_gone', lastStatus: 410, lastReason: 'Unregistered' });
    expect(await deviceExists(deviceId)).toBe(false);
    const next = await postSigned(server, app.appId, app.secret, messageBody(pushId));
    expect(next.body.status).toBe('no_devices');
  });

  it('removes an APNs device answered BadDeviceToken by the environment it registered with', async () => {
    const token = apnsToken(0xbad);
    fakes.apns.control.respond(token, { status: 400, reason: 'BadDeviceToken' });
    const { deviceId, push } = await pushTo({ provider: 'apns', token, environment: 'sandbox' }, settled);
    expect(push).toMatchObject({ status: 'token_gone', lastReason: 'BadDeviceToken' });
    expect(await deviceExists(deviceId)).toBe(false);
  });

  it('keeps the device when APNs refuses one push for another reason', async () => {
    const token = apnsToken(0x413);
    fakes.apns.control.respond(token, { status: 400, reason: 'DeviceTokenNotForTopic' });
    const { deviceId, push } = await pushTo({ provider: 'apns', token, environment: 'production' }, settled);
    expect(push).toMatchObject({ status: 'rejected', lastReason: 'DeviceTokenNotForTopic' });
    expect(await deviceExists(deviceId)).toBe(true);
  });

  it('signs a new provider token after 403 ExpiredProviderToken and delivers in the same attempt', async () => {
    const token = apnsToken(0x403);
    fakes.apns.control.respond(token, { status: 403, reason: 'ExpiredProviderToken', times: 1 });
    const seen = fakes.apns.tokens.distinctTokens;
    const { push } = await pushTo({ provider: 'apns', token, environment: 'production' }, settled);
    expect(push).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(fakes.apns.tokens.distinctTokens).toBe(seen + 1);
  });

  for (const [status, reason] of [
    [429, 'TooManyRequests'],
    [500, 'InternalServerError'],
    [503, 'ServiceUnavailable'],
  ] as const) {
    it(`retries after APNs ${status} ${reason} with back-off, then delivers`, async () => {
      const token = apnsToken(status);
      fakes.apns.control.respond(token, { status, reason, times: 1 });
      const { pushId, push } = await pushTo({ provider: 'apns', token, environment: 'production' }, retrying);
      expect(push).toMatchObject({ attempts: 1, lastStatus: status, lastReason: reason });
      expect(untilAfter(push)).toBeGreaterThan(status === 429 ? 6_000 : 1_000);
      later(status === 429 ? 14_000 : 3_000);
      const results = await waitForPushes(server, pushId, settled);
      expect(results.messages[0].pushes[0]).toMatchObject({ status: 'delivered', attempts: 2 });
    });
  }

  it('never sends late: transient failures past the deadline end as expired', async () => {
    const token = apnsToken(0xdead);
    fakes.apns.control.respond(token, { status: 503, reason: 'ServiceUnavailable' });
    const deliverBy = new Date(server.clock.now() + 5_000).toISOString();
    const { pushId } = await pushTo({ provider: 'apns', token, environment: 'production' }, retrying, deliverBy);
    later(3_500);
    const results = await waitForPushes(server, pushId, settled);
    expect(results.messages[0].pushes[0]).toMatchObject({ status: 'expired', lastStatus: 503 });
    expect(fakes.apns.control.received.filter((d) => d.token === token)).toEqual([]);
  });

  it('pauses APNs for the app on a credential error, keeps other providers going, and resumes when the admin acts', async () => {
    const token = apnsToken(0xcafe);
    fakes.apns.control.respond('*', { status: 403, reason: 'InvalidProviderToken' });
    const { pushId, push } = await pushTo({ provider: 'apns', token, environment: 'production' }, retrying);
    expect(push).toMatchObject({ status: 'pending', lastReason: 'InvalidProviderToken' });
    const view = await server.admin('GET', `/admin/apps/${app.appId}`);
    expect(view.body.paused).toEqual([{ provider: 'apns', reason: 'InvalidProviderToken', pausedAt: expect.any(String) }]);
    expect(await (await fetch(`${server.base}/metrics`)).text()).toMatch(
      new RegExp(`queuebell_push_provider_paused\\{[^}]*app="${app.appId}"[^}]*provider="apns"[^}]*\\} 1`),
    );
    expect(server.logs.some((line) => line.includes('provider credentials refused'))).toBe(true);

    const fcm = await pushTo({ provider: 'fcm', token: 'fcm-while-apns-paused' }, settled);
    expect(fcm.push.status).toBe('delivered');

    fakes.apns.control.clearRules();
    expect((await server.admin('POST', `/admin/apps/${app.appId}/providers/apns/resume`)).body.paused).toEqual([]);
    const results = await waitForPushes(server, pushId, settled);
    expect(results.messages[0].pushes[0].status).toBe('delivered');
  });

  it('removes an FCM device answered UNREGISTERED', async () => {
    fakes.fcm.control.respond('fcm-unregistered', { errorCode: 'UNREGISTERED' });
    const { deviceId, push } = await pushTo({ provider: 'fcm', token: 'fcm-unregistered' }, settled);
    expect(push).toMatchObject({ status: 'token_gone', lastStatus: 404, lastReason: 'UNREGISTERED' });
    expect(await deviceExists(deviceId)).toBe(false);
  });

  it('removes an FCM device only when INVALID_ARGUMENT is about the registration token', async () => {
    fakes.fcm.control.respond('fcm-invalid-token', { errorCode: 'INVALID_ARGUMENT', invalidToken: true });
    fakes.fcm.control.respond('fcm-invalid-field', { errorCode: 'INVALID_ARGUMENT' });
    const bad = await pushTo({ provider: 'fcm', token: 'fcm-invalid-token' }, settled);
    expect(bad.push.status).toBe('token_gone');
    expect(await deviceExists(bad.deviceId)).toBe(false);
    const field = await pushTo({ provider: 'fcm', token: 'fcm-invalid-field' }, settled);
    expect(field.push).toMatchObject({ status: 'rejected', lastStatus: 400 });
    expect(await deviceExists(field.deviceId)).toBe(true);
  });

  it('waits at least a minute after FCM QUOTA_EXCEEDED and honours Retry-After on UNAVAILABLE', async () => {
    fakes.fcm.control.respond('fcm-quota', { errorCode: 'QUOTA_EXCEEDED', times: 1 });
    fakes.fcm.control.respond('fcm-unavailable', { errorCode: 'UNAVAILABLE', retryAfter: '20', times: 1 });
    const quota = await pushTo({ provider: 'fcm', token: 'fcm-quota' }, retrying);
    expect(quota.push).toMatchObject({ lastStatus: 429, lastReason: 'QUOTA_EXCEEDED' });
    expect(untilAfter(quota.push)).toBeGreaterThan(47_000);
    const unavailable = await pushTo({ provider: 'fcm', token: 'fcm-unavailable' }, retrying);
    expect(untilAfter(unavailable.push)).toBeGreaterThan(19_000);
    later(21_000);
    expect((await waitForPushes(server, unavailable.pushId, settled)).messages[0].pushes[0].status).toBe('delivered');
  });

  it('pauses FCM for the app on THIRD_PARTY_AUTH_ERROR', async () => {
    fakes.fcm.control.respond('fcm-third-party', { errorCode: 'THIRD_PARTY_AUTH_ERROR' });
    const { push } = await pushTo({ provider: 'fcm', token: 'fcm-third-party' }, retrying);
    expect(push.lastReason).toBe('THIRD_PARTY_AUTH_ERROR');
    expect((await server.admin('GET', `/admin/apps/${app.appId}`)).body.paused.map((p: any) => p.provider)).toContain('fcm');
    fakes.fcm.control.clearRules();
    await server.admin('POST', `/admin/apps/${app.appId}/providers/fcm/resume`);
  });

  it('fetches a new FCM access token when the cached one is refused', async () => {
    await pushTo({ provider: 'fcm', token: 'fcm-before-revoke' }, settled);
    const issued = fakes.fcm.oauth.issued;
    fakes.fcm.oauth.revokeAll();
    const { push } = await pushTo({ provider: 'fcm', token: 'fcm-after-revoke' }, settled);
    expect(push).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(fakes.fcm.oauth.issued).toBe(issued + 1);
  });

  for (const status of [404, 410]) {
    it(`removes a Web Push subscription answered ${status}`, async () => {
      const subscription = fakes.webpush.createSubscription();
      fakes.webpush.control.respond(fakes.webpush.subscriptionIdOf(subscription.endpoint), { status });
      const { deviceId, push } = await pushTo({ provider: 'webpush', subscription }, settled);
      expect(push).toMatchObject({ status: 'token_gone', lastStatus: status });
      expect(await deviceExists(deviceId)).toBe(false);
    });
  }

  it('retries Web Push after 429 no sooner than Retry-After, and after 5xx', async () => {
    const limited = fakes.webpush.createSubscription();
    const failing = fakes.webpush.createSubscription();
    fakes.webpush.control.respond(fakes.webpush.subscriptionIdOf(limited.endpoint), { status: 429, retryAfter: '30', times: 1 });
    fakes.webpush.control.respond(fakes.webpush.subscriptionIdOf(failing.endpoint), { status: 502, times: 1 });
    const a = await pushTo({ provider: 'webpush', subscription: limited }, retrying);
    expect(untilAfter(a.push)).toBeGreaterThan(29_000);
    const b = await pushTo({ provider: 'webpush', subscription: failing }, retrying);
    expect(b.push.lastStatus).toBe(502);
    later(31_000);
    expect((await waitForPushes(server, a.pushId, settled)).messages[0].pushes[0].status).toBe('delivered');
    expect((await waitForPushes(server, b.pushId, settled)).messages[0].pushes[0].status).toBe('delivered');
  });

  it('refuses a Web Push subscription bound to another VAPID key without pausing the app', async () => {
    const foreign = fakes.webpush.createSubscription({
      applicationServerKey: (await import('web-push')).default.generateVAPIDKeys().publicKey,
    });
    const { deviceId, push } = await pushTo({ provider: 'webpush', subscription: foreign }, settled);
    expect(push).toMatchObject({ status: 'rejected', lastStatus: 403 });
    expect(await deviceExists(deviceId)).toBe(true);
    expect((await server.admin('GET', `/admin/apps/${app.appId}`)).body.paused).toEqual([]);
  });
});
