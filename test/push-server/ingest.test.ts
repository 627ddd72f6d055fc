import { generateKeyPairSync } from 'node:crypto';
import { signDeadline } from '../../src/contract/deadline-signature.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runMaintenance } from '../../src/push-server/push/maintenance.js';
import { Webhook } from 'standardwebhooks';
import { generateWebhookSecret, signWebhook } from '../../src/contract/standard-webhooks.js';
import { describeEachEngine } from '../support/engines.js';
import { ADMIN_TOKEN, APNS_TOKEN, messageBody, postSigned, startTestPushServer, type TestPushServer } from './support.js';

const APNS_KEY = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

describeEachEngine('ingest of signed messages', (engine) => {
  let server: TestPushServer;
  let appId: string;
  let secret: string;
  let pushId: string;

  const counts = async () => {
    const [messages, jobs] = await Promise.all([
      server.deps.db
        .selectFrom('messages')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
      server.deps.db
        .selectFrom('push_jobs')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ]);
    return { messages: Number(messages.n), jobs: Number(jobs.n) };
  };

  /** Every bad request must leave the database as it was. */
  const expectNothingChanged = async (send: () => Promise<{ status: number; body: any }>, status: number, code: string) => {
    const before = await counts();
    const response = await send();
    expect(response.status).toBe(status);
    expect(response.body.error.code).toBe(code);
    expect(await counts()).toEqual(before);
  };

  beforeAll(async () => {
    server = await startTestPushServer(engine);
    const app = await server.admin('POST', '/admin/apps', {
      name: 'ingest',
      apns: { keyP8: APNS_KEY, keyId: 'KEY1234567', teamId: 'TEAM123456', topic: 'app.test' },
    });
    appId = app.body.appId;
    secret = (await server.admin('POST', `/admin/apps/${appId}/sources`, { name: 'queue' })).body.secret;
    const device = await server.request('POST', `/v1/apps/${appId}/devices`, {
      body: { provider: 'apns', token: APNS_TOKEN, environment: 'production' },
      headers: { 'x-app-key': app.body.appKey },
    });
    pushId = device.body.pushId;
  });
  afterAll(() => server.close());

  it('answers 202 only with the message and one push job per device stored', async () => {
    const before = await counts();
    const response = await postSigned(server, appId, secret, messageBody(pushId));
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ status: 'accepted', pushes: 1, duplicate: false, messageId: expect.stringMatching(/^msg_/) });
    expect(await counts()).toEqual({ messages: before.messages + 1, jobs: before.jobs + 1 });
  });

  it('accepts what the Standard Webhooks reference library signs', async () => {
    const body = JSON.stringify(messageBody(pushId));
    const at = new Date(server.clock.now());
    const headers = {
      'webhook-id': 'msg_reference_lib',
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign('msg_reference_lib', at, body),
    };
    expect((await server.request('POST', `/v1/apps/${appId}/messages`, { raw: body, headers })).status).toBe(202);
  });

  it('stores a redelivered webhook-id once and says it is a duplicate', async () => {
    const first = await postSigned(server, appId, secret, messageBody(pushId), { id: 'msg_dup_1' });
    const before = await counts();
    const again = await postSigned(server, appId, secret, messageBody(pushId), { id: 'msg_dup_1' });
    expect(again.status).toBe(202);
    expect(again.body).toEqual({ ...first.body, duplicate: true });
    expect(await counts()).toEqual(before);
  });

  it('still recognises a redelivered webhook-id a day later, after housekeeping ran', async () => {
    const first = await postSigned(server, appId, secret, messageBody(pushId), { id: 'msg_next_day' });
    server.clock.advance(25 * 3600_000);
    try {
      await runMaintenance(server.deps.db, server.clock.now());
      const again = await postSigned(server, appId, secret, messageBody(pushId), { id: 'msg_next_day' });
      expect(again.body).toEqual({ ...first.body, duplicate: true });
    } finally {
      server.clock.advance(-25 * 3600_000);
    }
  });

  it('keeps a webhook-id burst of the same message to one row when the copies arrive together', async () => {
    const before = await counts();
    const copies = await Promise.all(
      Array.from({ length: 5 }, () => postSigned(server, appId, secret, messageBody(pushId), { id: 'msg_burst' })),
    );
    expect(copies.map((c) => c.status)).toEqual([202, 202, 202, 202, 202]);
    expect(copies.filter((c) => !c.body.duplicate)).toHaveLength(1);
    expect(await counts()).toEqual({ messages: before.messages + 1, jobs: before.jobs + 1 });
  });

  it('verifies with the old and the new secret while a source secret rotates', async () => {
    const rotated = await server.admin(
      'POST',
      `/admin/apps/${appId}/sources/${(await server.admin('GET', `/admin/apps/${appId}/sources`)).body.sources[0].sourceId}/rotate-secret`,
    );
    expect(rotated.status).toBe(200);
    expect((await postSigned(server, appId, secret, messageBody(pushId))).status).toBe(202);
    expect((await postSigned(server, appId, rotated.body.secret, messageBody(pushId))).status).toBe(202);
    expect((await postSigned(server, appId, [rotated.body.secret, secret], messageBody(pushId))).status).toBe(202);
    server.clock.advance(24 * 3600_000 + 1000);
    try {
      await expectNothingChanged(() => postSigned(server, appId, secret, messageBody(pushId)), 401, 'INVALID_SIGNATURE');
      expect((await postSigned(server, appId, rotated.body.secret, messageBody(pushId))).status).toBe(202);
    } finally {
      server.clock.advance(-(24 * 3600_000 + 1000));
    }
    secret = rotated.body.secret;
  });

  it('accepts a message for an unknown pushId and records it for the admin', async () => {
    const response = await postSigned(server, appId, secret, messageBody('pid_nobody_knows'));
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ status: 'unknown_push_id', pushes: 0 });
    const listed = await server.admin('GET', `/admin/apps/${appId}/messages?status=unknown_push_id`);
    expect(listed.body.messages.map((m: any) => m.pushId)).toContain('pid_nobody_knows');
    const byPushId = await server.request('GET', '/v1/push-ids/pid_nobody_knows/pushes', { token: ADMIN_TOKEN });
    expect(byPushId.body.messages[0]).toMatchObject({ status: 'unknown_push_id', pushes: [] });
  });

  it('records a message whose deadline already passed without writing a push', async () => {
    const response = await postSigned(server, appId, secret, messageBody(pushId), {
      deliverBy: new Date(server.clock.now() - 1000).toISOString(),
    });
    expect(response.body).toMatchObject({ status: 'expired_on_arrival', pushes: 0 });
  });

  it("refuses a wrong signature, a signature of another app's source and a tampered body", async () => {
    await expectNothingChanged(() => postSigned(server, appId, generateWebhookSecret(), messageBody(pushId)), 401, 'INVALID_SIGNATURE');
    const other = await server.admin('POST', '/admin/apps', { name: 'other' });
    const otherSecret = (await server.admin('POST', `/admin/apps/${other.body.appId}/sources`, { name: 'x' })).body.secret;
    await expectNothingChanged(() => postSigned(server, appId, otherSecret, messageBody(pushId)), 401, 'INVALID_SIGNATURE');
    const raw = JSON.stringify(messageBody(pushId));
    const headers = signWebhook([secret], 'msg_tampered', Math.floor(server.clock.now() / 1000), raw);
    await expectNothingChanged(
      () => server.request('POST', `/v1/apps/${appId}/messages`, { raw: raw.replace('A012', 'B999'), headers: { ...headers } }),
      401,
      'INVALID_SIGNATURE',
    );
  });

  it('refuses a timestamp more than five minutes old or ahead', async () => {
    const now = Math.floor(server.clock.now() / 1000);
    await expectNothingChanged(
      () => postSigned(server, appId, secret, messageBody(pushId), { timestamp: now - 301 }),
      401,
      'STALE_TIMESTAMP',
    );
    await expectNothingChanged(
      () => postSigned(server, appId, secret, messageBody(pushId), { timestamp: now + 301 }),
      401,
      'STALE_TIMESTAMP',
    );
    expect((await postSigned(server, appId, secret, messageBody(pushId), { timestamp: now - 250 })).status).toBe(202);
  });

  it('refuses a request without the signature headers', async () => {
    await expectNothingChanged(
      () => server.request('POST', `/v1/apps/${appId}/messages`, { body: messageBody(pushId) }),
      401,
      'MISSING_WEBHOOK_HEADERS',
    );
    const raw = JSON.stringify(messageBody(pushId));
    const { 'webhook-id': _id, ...withoutId } = signWebhook([secret], 'msg_x', Math.floor(server.clock.now() / 1000), raw);
    await expectNothingChanged(
      () => server.request('POST', `/v1/apps/${appId}/messages`, { raw, headers: withoutId }),
      401,
      'MISSING_WEBHOOK_HEADERS',
    );
  });

  it('refuses malformed JSON, wrong types and an unknown action even when correctly signed', async () => {
    await expectNothingChanged(
      () => postSigned(server, appId, secret, null, { raw: '{"pushId": "p", "message": ' }),
      400,
      'MALFORMED_JSON',
    );
    await expectNothingChanged(
      () => postSigned(server, appId, secret, { pushId: 42, message: { action: 'TICKET_CALLED', content: 'x', data: {} } }),
      400,
      'VALIDATION_FAILED',
    );
    await expectNothingChanged(
      () => postSigned(server, appId, secret, { pushId: 'p', message: { action: 'TICKET_CALLED', content: 'x', data: 'nope' } }),
      400,
      'VALIDATION_FAILED',
    );
    await expectNothingChanged(() => postSigned(server, appId, secret, { pushId: 'p' }), 400, 'VALIDATION_FAILED');
    await expectNothingChanged(
      () => postSigned(server, appId, secret, messageBody(pushId, { action: 'TICKET_EXPLODED' })),
      400,
      'UNKNOWN_ACTION',
    );
    expect((await postSigned(server, appId, secret, messageBody(pushId, { action: 'TICKET_REMIND_3' }))).status).toBe(202);
  });

  it('refuses an oversized body before reading it, and a deliver-by that is not RFC 3339', async () => {
    const huge = messageBody(pushId, { content: 'x'.repeat(70 * 1024) });
    await expectNothingChanged(() => postSigned(server, appId, secret, huge), 413, 'PAYLOAD_TOO_LARGE');
    await expectNothingChanged(
      () => postSigned(server, appId, secret, messageBody(pushId), { deliverBy: 'tomorrow at noon' }),
      400,
      'INVALID_DELIVER_BY',
    );
  });

  it('refuses a deadline more than 24 hours ahead, as deliver-by or as ttl, and a ttl that is not a number', async () => {
    const inTenYears = new Date(server.clock.now() + 10 * 365 * 86_400_000).toISOString();
    await expectNothingChanged(
      () => postSigned(server, appId, secret, messageBody(pushId), { deliverBy: inTenYears }),
      400,
      'DEADLINE_TOO_FAR',
    );
    const ttl = (ms: number | string) => ({ headers: { 'x-queuebell-ttl-ms': String(ms) } });
    await expectNothingChanged(() => postSigned(server, appId, secret, messageBody(pushId), ttl(86_400_001)), 400, 'DEADLINE_TOO_FAR');
    await expectNothingChanged(() => postSigned(server, appId, secret, messageBody(pushId), ttl('soon')), 400, 'INVALID_TTL');
    expect((await postSigned(server, appId, secret, messageBody(pushId), ttl(86_400_000))).status).toBe(202);
  });

  it('judges a ttl on time elapsed since the signed timestamp, counting at most 5 s of it as travel', async () => {
    // Signed four minutes "ago" by our clock: a sender whose clock is four minutes behind ours.
    const timestamp = Math.floor(server.clock.now() / 1000) - 240;
    const deliverBy = new Date(timestamp * 1000 + 60_000).toISOString();
    const response = await postSigned(server, appId, secret, messageBody(pushId), {
      timestamp,
      deliverBy,
      headers: { 'x-queuebell-ttl-ms': '60000' },
    });
    expect(response.body).toMatchObject({ status: 'accepted', pushes: 1 });
    const stored = await server.deps.db
      .selectFrom('messages')
      .selectAll()
      .where('id', '=', response.body.messageId)
      .executeTakeFirstOrThrow();
    // received_at is stamped by the batch writer a moment after the deadline was computed.
    const left = Number(stored.deliver_by) - Number(stored.received_at);
    expect(left).toBeLessThanOrEqual(55_000);
    expect(left).toBeGreaterThan(54_000);
  });

  it('takes a deadline signed with the body secret, and refuses one changed after signing', async () => {
    const id = `msg_deadline_${Date.now()}`;
    const timestamp = Math.floor(server.clock.now() / 1000);
    const deliverBy = new Date(timestamp * 1000 + 60_000).toISOString();
    const signed = {
      'x-queuebell-ttl-ms': '60000',
      'x-queuebell-deadline-signature': signDeadline([secret], id, timestamp, '60000', deliverBy),
    };
    await expectNothingChanged(
      () =>
        postSigned(server, appId, secret, messageBody(pushId), {
          id,
          timestamp,
          deliverBy,
          headers: { ...signed, 'x-queuebell-ttl-ms': '86400000' },
        }),
      401,
      'INVALID_SIGNATURE',
    );
    const response = await postSigned(server, appId, secret, messageBody(pushId), { id, timestamp, deliverBy, headers: signed });
    expect(response.body).toMatchObject({ status: 'accepted', pushes: 1 });
  });

  it('answers 202 expired_on_arrival when less time is left than the way took, and pushes nothing', async () => {
    const timestamp = Math.floor(server.clock.now() / 1000) - 10;
    const before = await counts();
    const response = await postSigned(server, appId, secret, messageBody(pushId), { timestamp, headers: { 'x-queuebell-ttl-ms': '4000' } });
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ status: 'expired_on_arrival', pushes: 0 });
    expect((await counts()).jobs).toBe(before.jobs);
  });

  it('says how far apart the clocks are when it refuses a timestamp', async () => {
    const timestamp = Math.floor(server.clock.now() / 1000) - 600;
    const response = await postSigned(server, appId, secret, messageBody(pushId), { timestamp });
    expect(response.status).toBe(401);
    expect(response.body.error).toMatchObject({ code: 'STALE_TIMESTAMP', details: { toleranceSeconds: 300 } });
    expect(response.body.error.details.offsetSeconds).toBeGreaterThanOrEqual(600);
    expect(response.body.error.details.offsetSeconds).toBeLessThan(610);
  });

  it('answers 404 for an unknown app and 415 for a body that is not JSON', async () => {
    await expectNothingChanged(() => postSigned(server, 'app_missing', secret, messageBody(pushId)), 404, 'APP_NOT_FOUND');
    await expectNothingChanged(
      () =>
        server.request('POST', `/v1/apps/${appId}/messages`, {
          raw: 'pushId=1',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
  });

  it('lets a token source send without signing, and refuses a wrong token', async () => {
    const source = await server.admin('POST', `/admin/apps/${appId}/sources`, { name: 'legacy', mode: 'token' });
    expect(source.body.secret).toMatch(/^qbsrc_/);
    const ok = await server.request('POST', `/v1/apps/${appId}/messages`, {
      body: messageBody(pushId),
      token: source.body.secret,
      headers: { 'webhook-id': 'msg_token_1' },
    });
    expect(ok.status).toBe(202);
    const again = await server.request('POST', `/v1/apps/${appId}/messages`, {
      body: messageBody(pushId),
      token: source.body.secret,
      headers: { 'webhook-id': 'msg_token_1' },
    });
    expect(again.body.duplicate).toBe(true);
    await expectNothingChanged(
      () => server.request('POST', `/v1/apps/${appId}/messages`, { body: messageBody(pushId), token: `${source.body.secret}x` }),
      401,
      'UNAUTHENTICATED',
    );
  });

  it('supersedes a waiting push about the same ticket when a newer message arrives', async () => {
    const first = await postSigned(server, appId, secret, messageBody(pushId, { ticketId: 'tkt_super', action: 'TICKET_ALERTED' }));
    const second = await postSigned(server, appId, secret, messageBody(pushId, { ticketId: 'tkt_super', action: 'TICKET_CALLED' }));
    const jobs = await server.deps.db
      .selectFrom('push_jobs')
      .select(['message_id', 'status'])
      .where('collapse_key', '=', 'tkt_super')
      .execute();
    expect(jobs.find((j) => j.message_id === first.body.messageId)?.status).toBe('superseded');
    expect(jobs.find((j) => j.message_id === second.body.messageId)?.status).toBe('pending');
  });
});
