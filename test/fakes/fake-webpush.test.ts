import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import webpush from 'web-push';
import { startFakeWebPush, type FakeWebPush } from '../../src/fakes/webpush/server.js';

/** web-push's own request (headers, encrypted body, VAPID) sent over plain HTTP, since sendNotification only speaks https. */
async function send(
  subscription: webpush.PushSubscription,
  payload: string,
  options: webpush.RequestOptions,
): Promise<{ statusCode: number; headers: Record<string, string> }> {
  const request = webpush.generateRequestDetails(subscription, payload, options);
  const response = await fetch(request.endpoint, {
    method: 'POST',
    headers: request.headers as Record<string, string>,
    body: request.body ? new Uint8Array(request.body) : null,
  });
  const result = { statusCode: response.status, headers: Object.fromEntries(response.headers) };
  if (response.status >= 400) throw Object.assign(new Error(`HTTP ${response.status}`), result);
  return result;
}

describe('the fake Web Push service', () => {
  let fake: FakeWebPush;
  const vapid = webpush.generateVAPIDKeys();
  const details = { subject: 'mailto:test@example.com', publicKey: vapid.publicKey, privateKey: vapid.privateKey };

  beforeAll(async () => {
    fake = await startFakeWebPush();
  });
  afterAll(() => fake.close());

  it('decrypts what the web-push library sends and records the plaintext and headers', async () => {
    const subscription = fake.createSubscription({ applicationServerKey: vapid.publicKey });
    const result = await send(subscription, '{"hello":"world"}', { vapidDetails: details, TTL: 120, urgency: 'high', topic: 'tkt_1' });
    expect(result.statusCode).toBe(201);
    expect(fake.control.received.at(-1)).toMatchObject({
      payload: '{"hello":"world"}',
      headers: { ttl: '120', urgency: 'high', topic: 'tkt_1', vapidSubject: 'mailto:test@example.com' },
    });
  });

  it("refuses a push signed with another VAPID key than the subscription's", async () => {
    const subscription = fake.createSubscription({ applicationServerKey: vapid.publicKey });
    const other = webpush.generateVAPIDKeys();
    await expect(send(subscription, 'x', { vapidDetails: { ...details, ...other } })).rejects.toMatchObject({ statusCode: 403 });
  });

  it('refuses a push without VAPID, and one for an unknown subscription', async () => {
    const subscription = fake.createSubscription();
    await expect(send(subscription, 'x', {})).rejects.toMatchObject({ statusCode: 401 });
    await expect(send({ ...subscription, endpoint: `${fake.baseUrl}/push/unknown` }, 'x', { vapidDetails: details })).rejects.toMatchObject(
      { statusCode: 404 },
    );
  });

  it("refuses a body it cannot decrypt with the subscription's key", async () => {
    const a = fake.createSubscription();
    const b = fake.createSubscription();
    await expect(send({ ...a, keys: b.keys }, 'x', { vapidDetails: details })).rejects.toMatchObject({ statusCode: 400 });
  });

  it('refuses a body over 4096 bytes, which web-push sends without complaint', async () => {
    const subscription = fake.createSubscription();
    await expect(send(subscription, 'x'.repeat(3994), { vapidDetails: details })).rejects.toMatchObject({ statusCode: 413 });
    expect((await send(subscription, 'x'.repeat(3993), { vapidDetails: details })).statusCode).toBe(201);
  });

  it('answers 404, 410, 429 with Retry-After and 5xx when a test asks', async () => {
    const subscription = fake.createSubscription();
    const id = fake.subscriptionIdOf(subscription.endpoint);
    for (const status of [404, 410, 500, 503]) {
      fake.control.respond(id, { status, times: 1 });
      await expect(send(subscription, 'x', { vapidDetails: details })).rejects.toMatchObject({ statusCode: status });
    }
    fake.control.respond(id, { status: 429, retryAfter: '30', times: 1 });
    await expect(send(subscription, 'x', { vapidDetails: details })).rejects.toMatchObject({
      statusCode: 429,
      headers: expect.objectContaining({ 'retry-after': '30' }),
    });
  });
});
