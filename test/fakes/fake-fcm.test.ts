import http2 from 'node:http2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeFcm, type FakeFcm } from '../../src/fakes/fcm/server.js';
import { signAssertion, validateServiceAccount } from '../../src/push-server/providers/fcm/credentials.js';

async function post(
  fake: FakeFcm,
  path: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any }> {
  const session = http2.connect(fake.baseUrl);
  try {
    return await new Promise((resolve, reject) => {
      const stream = session.request({ ':method': 'POST', ':path': path, ...headers });
      let status = 0;
      let text = '';
      stream.on('response', (h) => {
        status = Number(h[':status']);
      });
      stream.on('data', (chunk) => {
        text += chunk;
      });
      stream.on('end', () => resolve({ status, body: JSON.parse(text) }));
      stream.on('error', reject);
      stream.end(body);
    });
  } finally {
    session.close();
  }
}

describe('the fake FCM', () => {
  let fake: FakeFcm;
  const grant = (assertion: string) =>
    new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }).toString();
  const token = async () =>
    (await post(fake, '/token', grant(signAssertion(validateServiceAccount(fake.serviceAccount), Date.now())))).body.access_token as string;
  const send = async (message: object, accessToken?: string) =>
    post(fake, '/v1/projects/queuebell-fake/messages:send', JSON.stringify({ message }), {
      authorization: `Bearer ${accessToken ?? (await token())}`,
    });

  beforeAll(async () => {
    fake = await startFakeFcm();
  });
  afterAll(() => fake.close());

  it('trades a valid assertion for an access token the send endpoint accepts', async () => {
    const exchanged = await post(fake, '/token', grant(signAssertion(validateServiceAccount(fake.serviceAccount), Date.now())));
    expect(exchanged).toMatchObject({
      status: 200,
      body: { access_token: expect.stringMatching(/^ya29\./), expires_in: 3599, token_type: 'Bearer' },
    });
    const sent = await send({ token: 'device-1', data: { a: 'b' } }, exchanged.body.access_token);
    expect(sent).toMatchObject({ status: 200, body: { name: expect.stringMatching(/^projects\/queuebell-fake\/messages\//) } });
  });

  it('refuses assertions signed by another key, for another audience, or too old', async () => {
    const other = await startFakeFcm();
    const foreign = signAssertion(
      { ...validateServiceAccount(fake.serviceAccount), private_key: other.serviceAccount.private_key },
      Date.now(),
    );
    await other.close();
    expect((await post(fake, '/token', grant(foreign))).body.error).toBe('invalid_grant');
    const wrongAudience = signAssertion(
      { ...validateServiceAccount(fake.serviceAccount), token_uri: 'https://oauth2.googleapis.com/token' },
      Date.now(),
    );
    expect((await post(fake, '/token', grant(wrongAudience))).body.error_description).toMatch(/aud/);
    const old = signAssertion(validateServiceAccount(fake.serviceAccount), Date.now() - 2 * 3600_000);
    expect((await post(fake, '/token', grant(old))).status).toBe(400);
  });

  it('refuses a send without a valid access token or for another project', async () => {
    expect((await send({ token: 'd' }, 'ya29.made-up')).status).toBe(401);
    const response = await post(fake, '/v1/projects/someone-else/messages:send', JSON.stringify({ message: { token: 'd' } }), {
      authorization: `Bearer ${await token()}`,
    });
    expect(response.status).toBe(403);
  });

  it('refuses messages FCM would refuse: no target, non-string data, bad TTL, too big', async () => {
    for (const message of [
      { data: {} },
      { token: 'd', topic: 't' },
      { token: 'd', data: { n: 1 } },
      { token: 'd', android: { ttl: '10 minutes' } },
      { token: 'd', android: { priority: 'URGENT' } },
      { token: 'd', data: { big: 'x'.repeat(5000) } },
    ]) {
      const response = await send(message);
      expect(response.status).toBe(400);
      expect(response.body.error.details[0].errorCode).toBe('INVALID_ARGUMENT');
    }
  });

  it("answers each FCM error code a test asks for, in Google's shape", async () => {
    const expected = {
      UNREGISTERED: 404,
      QUOTA_EXCEEDED: 429,
      UNAVAILABLE: 503,
      INTERNAL: 500,
      THIRD_PARTY_AUTH_ERROR: 401,
      SENDER_ID_MISMATCH: 403,
      INVALID_ARGUMENT: 400,
    } as const;
    for (const [errorCode, status] of Object.entries(expected)) {
      fake.control.respond(`tok-${errorCode}`, { errorCode: errorCode as keyof typeof expected, times: 1 });
      const response = await send({ token: `tok-${errorCode}` });
      expect([errorCode, response.status, response.body.error.details[0]]).toEqual([
        errorCode,
        status,
        { '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode },
      ]);
    }
  });
});
