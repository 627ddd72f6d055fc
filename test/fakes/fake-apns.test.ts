import http2 from 'node:http2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeApns, type FakeApns } from '../../src/fakes/apns/server.js';
import { ApnsProviderTokens } from '../../src/push-server/providers/apns/credentials.js';

/** Talks to the fake the way any client would, to check the fake itself. */
async function post(fake: FakeApns, headers: Record<string, string>, body: string): Promise<{ status: number; reason?: string }> {
  const session = http2.connect(fake.baseUrl, { ca: fake.ca });
  try {
    return await new Promise((resolve, reject) => {
      const stream = session.request({ ':method': 'POST', ...headers });
      let status = 0;
      let text = '';
      stream.on('response', (h) => {
        status = Number(h[':status']);
      });
      stream.on('data', (chunk) => {
        text += chunk;
      });
      stream.on('end', () => resolve({ status, ...(text ? { reason: JSON.parse(text).reason } : {}) }));
      stream.on('error', reject);
      stream.end(body);
    });
  } finally {
    session.close();
  }
}

describe('the fake APNs', () => {
  let fake: FakeApns;
  const token = 'cd'.repeat(32);
  const credentials = () => ({
    keyP8: fake.keyP8,
    keyId: fake.keyId,
    teamId: fake.teamId,
    topic: fake.topic,
    baseUrl: null,
    sandboxBaseUrl: null,
    ca: null,
  });
  const goodHeaders = () => ({
    ':path': `/3/device/${token}`,
    authorization: `bearer ${new ApnsProviderTokens().get(credentials(), Date.now())}`,
    'apns-topic': fake.topic,
    'apns-push-type': 'alert',
  });
  const payload = JSON.stringify({ aps: { alert: { title: 't', body: 'b' } } });

  beforeAll(async () => {
    fake = await startFakeApns();
  });
  afterAll(() => fake.close());

  it('serves HTTP/2 over TLS with a certificate only its own CA makes trusted', async () => {
    const session = http2.connect(fake.baseUrl);
    const error = await new Promise<Error>((resolve) => session.on('error', resolve));
    expect(error.message).toMatch(/self[- ]signed|certificate/i);
    session.destroy();
  });

  it('accepts a well-formed push and records it', async () => {
    expect(await post(fake, goodHeaders(), payload)).toEqual({ status: 200 });
    expect(fake.control.received.at(-1)).toMatchObject({ token, payload: { aps: { alert: { title: 't' } } } });
  });

  it('refuses a missing, forged, foreign or hour-old provider token', async () => {
    const { authorization: _drop, ...noAuth } = goodHeaders();
    expect(await post(fake, noAuth, payload)).toEqual({ status: 403, reason: 'MissingProviderToken' });
    const jwt = goodHeaders().authorization.slice(7);
    const forged = `${jwt.slice(0, jwt.lastIndexOf('.'))}.${'A'.repeat(86)}`;
    expect(await post(fake, { ...goodHeaders(), authorization: `bearer ${forged}` }, payload)).toEqual({
      status: 403,
      reason: 'InvalidProviderToken',
    });
    const other = await startFakeApns();
    const foreign = new ApnsProviderTokens().get({ ...credentials(), keyP8: other.keyP8 }, Date.now());
    await other.close();
    expect(await post(fake, { ...goodHeaders(), authorization: `bearer ${foreign}` }, payload)).toEqual({
      status: 403,
      reason: 'InvalidProviderToken',
    });
    const old = new ApnsProviderTokens().get(credentials(), Date.now() - 61 * 60_000);
    expect(await post(fake, { ...goodHeaders(), authorization: `bearer ${old}` }, payload)).toEqual({
      status: 403,
      reason: 'ExpiredProviderToken',
    });
  });

  it('checks topic, push type, priority, collapse id, token and payload as Apple does', async () => {
    const cases: [Record<string, string>, string, { status: number; reason: string }][] = [
      [{ 'apns-topic': '' }, payload, { status: 400, reason: 'MissingTopic' }],
      [{ 'apns-topic': 'other.app' }, payload, { status: 400, reason: 'DeviceTokenNotForTopic' }],
      [{ 'apns-push-type': 'shout' }, payload, { status: 400, reason: 'InvalidPushType' }],
      [{ 'apns-priority': '7' }, payload, { status: 400, reason: 'BadPriority' }],
      [{ 'apns-collapse-id': 'x'.repeat(65) }, payload, { status: 400, reason: 'BadCollapseId' }],
      [{ ':path': '/3/device/xyz' }, payload, { status: 400, reason: 'BadDeviceToken' }],
      [{}, JSON.stringify({ aps: { alert: 'x'.repeat(5000) } }), { status: 413, reason: 'PayloadTooLarge' }],
      [{}, '', { status: 400, reason: 'PayloadEmpty' }],
    ];
    for (const [headers, body, expected] of cases) {
      const merged = Object.fromEntries(Object.entries({ ...goodHeaders(), ...headers }).filter(([, v]) => v !== ''));
      expect(await post(fake, merged, body)).toEqual(expected);
    }
  });

  it('answers what a test asks for, as many times as asked', async () => {
    fake.control.respond(token, { status: 410, reason: 'Unregistered', times: 2 });
    expect(await post(fake, goodHeaders(), payload)).toEqual({ status: 410, reason: 'Unregistered' });
    expect(await post(fake, goodHeaders(), payload)).toEqual({ status: 410, reason: 'Unregistered' });
    expect(await post(fake, goodHeaders(), payload)).toEqual({ status: 200 });
  });
});
