import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateWebhookSecret, signWebhook } from '../../src/contract/standard-webhooks.js';
import { openPushDatabase } from '../../src/push-server/db/connect.js';
import { pushServerMigrations } from '../../src/push-server/db/migrations/index.js';
import { migrateToLatest } from '../../src/platform/db/migrate.js';
import { createTestDatabase, describeEachEngine } from '../support/engines.js';
import { apnsToken, messageBody, startTestPushServer, type TestPushServer } from './support.js';

const APNS_KEY = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

interface App {
  appId: string;
  appKey: string;
  serverKey: string;
  secret: string;
  pushId: string;
}

describeEachEngine('the server-wide ingest route', (engine) => {
  let server: TestPushServer;
  let apps: App[];
  let counter = 0;

  /** Signs like a Standard Webhooks sender and posts to POST /v1/messages. */
  const postToServer = (secret: string, body: unknown, timestamp = Math.floor(server.clock.now() / 1000)) => {
    const raw = JSON.stringify(body);
    const headers = signWebhook([secret], `msg_wide_${++counter}`, timestamp, raw);
    return server.request('POST', '/v1/messages', { raw, headers: { ...headers } });
  };
  const messagesOf = (pushId: string) =>
    server.deps.db.selectFrom('messages').select(['app_id', 'action']).where('push_id', '=', pushId).execute();
  const messageCount = async () =>
    Number(
      (
        await server.deps.db
          .selectFrom('messages')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    server = await startTestPushServer(engine);
    apps = [];
    for (const [index, name] of ['ios-brand', 'android-brand'].entries()) {
      const app = await server.admin('POST', '/admin/apps', {
        name,
        apns: { keyP8: APNS_KEY, keyId: 'KEY1234567', teamId: 'TEAM123456', topic: `app.${name}` },
      });
      const secret = (await server.admin('POST', `/admin/apps/${app.body.appId}/sources`, { name: 'queue' })).body.secret;
      const device = await server.request('POST', `/v1/apps/${app.body.appId}/devices`, {
        body: { provider: 'apns', token: apnsToken(index + 1), environment: 'production' },
        headers: { 'x-app-key': app.body.appKey },
      });
      apps.push({ appId: app.body.appId, appKey: app.body.appKey, serverKey: app.body.serverKey, secret, pushId: device.body.pushId });
    }
  });
  afterAll(() => server.close());

  it('finds the app of each pushId, for pushIds of two apps', async () => {
    for (const app of apps) {
      const response = await postToServer(app.secret, messageBody(app.pushId));
      expect(response.status).toBe(202);
      expect(response.body).toMatchObject({ status: 'accepted', pushes: 1, duplicate: false });
      expect(await messagesOf(app.pushId)).toEqual([{ app_id: app.appId, action: 'TICKET_CALLED' }]);
    }
  });

  it('lets one sender, a source of both apps with its own secret, reach each through the one route', async () => {
    const shared = generateWebhookSecret();
    for (const app of apps) {
      const created = await server.admin('POST', `/admin/apps/${app.appId}/sources`, { name: 'one queue service', secret: shared });
      expect(created.status).toBe(201);
      expect(created.body.secret).toBe(shared);
    }
    for (const app of apps) {
      const response = await postToServer(shared, messageBody(app.pushId, { action: 'TICKET_DONE' }));
      expect(response.body).toMatchObject({ status: 'accepted', pushes: 1 });
      expect((await messagesOf(app.pushId)).filter((m) => m.action === 'TICKET_DONE')).toEqual([
        { app_id: app.appId, action: 'TICKET_DONE' },
      ]);
    }
    const refused = await server.admin('POST', `/admin/apps/${apps[0]!.appId}/sources`, { name: 'bad', secret: 'whsec_c2hvcnQ=' });
    expect(refused.status).toBe(400);
  });

  it("refuses a sender that is not a source of the pushId's app, writing nothing", async () => {
    const before = await messageCount();
    const response = await postToServer(apps[0]!.secret, messageBody(apps[1]!.pushId));
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('INVALID_SIGNATURE');
    expect(await messageCount()).toBe(before);
  });

  it('answers a pushId no app holds with unknown_push_id and writes nothing, but checks the headers first', async () => {
    const before = await messageCount();
    const unknown = await postToServer(apps[0]!.secret, messageBody('pid_nobody'));
    expect(unknown.status).toBe(202);
    expect(unknown.body).toMatchObject({ status: 'unknown_push_id', pushes: 0, duplicate: false });
    const stale = await postToServer(apps[0]!.secret, messageBody('pid_nobody'), Math.floor(server.clock.now() / 1000) - 3600);
    expect(stale.status).toBe(401);
    expect(stale.body.error.code).toBe('STALE_TIMESTAMP');
    const unsigned = await server.request('POST', '/v1/messages', { raw: JSON.stringify(messageBody('pid_nobody')) });
    expect(unsigned.status).toBe(401);
    expect(unsigned.body.error.code).toBe('MISSING_WEBHOOK_HEADERS');
    expect(await messageCount()).toBe(before);
  });

  it('keeps a pushId of a backend’s choosing to the first app that registered it', async () => {
    const put = (app: App, token: number) =>
      server.request('PUT', `/v1/apps/${app.appId}/push-ids/user-42/devices`, {
        body: { provider: 'apns', token: apnsToken(100 + token), environment: 'production' },
        headers: { 'x-server-key': app.serverKey },
      });
    expect((await put(apps[1]!, 1)).status).toBe(200);
    const taken = await put(apps[0]!, 2);
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('PUSH_ID_TAKEN');
    const response = await postToServer(apps[1]!.secret, messageBody('user-42'));
    expect(response.body).toMatchObject({ status: 'accepted', pushes: 1 });
    expect(await messagesOf('user-42')).toEqual([{ app_id: apps[1]!.appId, action: 'TICKET_CALLED' }]);
  });

  it('collapses pushes on data.ticketId, and on the older data.id while senders still send it', async () => {
    const app = apps[0]!;
    const body = messageBody(app.pushId);
    const { id: _old, ...data } = body.message.data;
    await postToServer(app.secret, { ...body, message: { ...body.message, data: { ...data, ticketId: 'tkt_lineberty' } } });
    await postToServer(app.secret, messageBody(app.pushId, { ticketId: 'tkt_older' }));
    const keys = await server.deps.db
      .selectFrom('push_jobs')
      .select('collapse_key')
      .where('push_id', '=', app.pushId)
      .where('collapse_key', 'in', ['tkt_lineberty', 'tkt_older'])
      .execute();
    expect(keys.map((row) => row.collapse_key).sort()).toEqual(['tkt_lineberty', 'tkt_older']);
  });
});

describeEachEngine('making pushIds unique across the push server (migration 0007)', (engine) => {
  describe('with a pushId chosen by two backends before the upgrade', () => {
    it('keeps it in the app that registered it first and removes the later one with its devices', async () => {
      const testDb = await createTestDatabase(engine);
      const database = openPushDatabase(testDb.target);
      try {
        const before = Object.fromEntries(Object.entries(pushServerMigrations).filter(([name]) => name < '0007'));
        await migrateToLatest(database.db, before, 'queuebell_push_migrations');
        for (const id of ['app_a', 'app_b']) {
          await database.db
            .insertInto('apps')
            .values({
              id,
              name: id,
              app_key_hash: `ak_${id}`,
              server_key_hash: `sk_${id}`,
              titles: '{}',
              webpush: '{}',
              created_at: 1,
              updated_at: 1,
            } as never)
            .execute();
        }
        const pushId = (app_id: string, push_id: string, created_at: number) =>
          database.db.insertInto('push_ids').values({ app_id, push_id, secret_hash: null, origin: 'server', created_at }).execute();
        await pushId('app_b', 'user-1', 100);
        await pushId('app_a', 'user-1', 200);
        await pushId('app_a', 'user-2', 300);
        for (const [id, app_id, push_id] of [
          ['dev_1', 'app_a', 'user-1'],
          ['dev_2', 'app_b', 'user-1'],
          ['dev_3', 'app_a', 'user-2'],
        ] as const) {
          await database.db
            .insertInto('devices')
            .values({ id, app_id, push_id, provider: 'fcm', token: id, token_hash: id, created_at: 1, updated_at: 1 } as never)
            .execute();
        }
        await migrateToLatest(database.db, pushServerMigrations, 'queuebell_push_migrations');
        const pushIds = await database.db.selectFrom('push_ids').select(['app_id', 'push_id']).orderBy('push_id').execute();
        expect(pushIds).toEqual([
          { app_id: 'app_b', push_id: 'user-1' },
          { app_id: 'app_a', push_id: 'user-2' },
        ]);
        const devices = await database.db.selectFrom('devices').select('id').orderBy('id').execute();
        expect(devices.map((row) => row.id)).toEqual(['dev_2', 'dev_3']);
        await expect(
          database.db
            .insertInto('push_ids')
            .values({ app_id: 'app_a', push_id: 'user-1', secret_hash: null, origin: 'server', created_at: 400 })
            .execute(),
        ).rejects.toThrow();
      } finally {
        await database.close();
        await testDb.drop();
      }
    });
  });
});
