import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFakePushProviders, type FakePushProviders } from '../../src/fakes/push-providers.js';
import { describeEachEngine } from '../support/engines.js';
import { ADMIN_TOKEN, createAppOnFakes, startTestPushServer, type TestPushServer } from './support.js';

describeEachEngine('apps and sources through the admin API', (engine) => {
  let server: TestPushServer;
  let fakes: FakePushProviders;

  beforeAll(async () => {
    server = await startTestPushServer(engine);
    fakes = await startFakePushProviders();
  });
  afterAll(async () => {
    await server.close();
    await fakes.close();
  });

  const apnsOf = (f: FakePushProviders) => ({
    keyP8: f.apns.keyP8,
    keyId: f.apns.keyId,
    teamId: f.apns.teamId,
    topic: f.apns.topic,
    baseUrl: f.apns.baseUrl,
  });

  it('keeps every secret sealed at rest and never shows one again', async () => {
    const app = await createAppOnFakes(server, fakes);
    const rows = JSON.stringify([
      await server.deps.db.selectFrom('apps').selectAll().where('id', '=', app.appId).executeTakeFirstOrThrow(),
      await server.deps.db.selectFrom('sources').selectAll().where('app_id', '=', app.appId).execute(),
    ]);
    const privateKeyBody = (pem: string) => pem.split('\n')[1]!;
    for (const secret of [
      privateKeyBody(fakes.apns.keyP8),
      privateKeyBody(fakes.fcm.serviceAccount.private_key),
      app.secret,
      app.appKey,
      app.serverKey,
    ]) {
      expect(rows).not.toContain(secret);
    }
    const shown = JSON.stringify([
      (await server.admin('GET', `/admin/apps/${app.appId}`)).body,
      (await server.admin('GET', '/admin/apps')).body,
      (await server.admin('GET', `/admin/apps/${app.appId}/sources`)).body,
    ]);
    for (const secret of [
      privateKeyBody(fakes.apns.keyP8),
      privateKeyBody(fakes.fcm.serviceAccount.private_key),
      app.secret,
      app.appKey,
      app.serverKey,
    ]) {
      expect(shown).not.toContain(secret);
    }
    expect(JSON.parse(shown)[0]).toMatchObject({
      apns: { keyId: fakes.apns.keyId, topic: fakes.apns.topic },
      fcm: { projectId: 'queuebell-fake' },
      vapidPublicKey: app.vapidPublicKey,
      paused: [],
    });
  });

  it('generates VAPID keys when none are given, and keeps given ones', async () => {
    const generated = await server.admin('POST', '/admin/apps', { name: 'web only' });
    expect(Buffer.from(generated.body.vapidPublicKey, 'base64url')).toHaveLength(65);
    const keys = (await import('web-push')).default.generateVAPIDKeys();
    const given = await server.admin('POST', '/admin/apps', { name: 'own keys', webpush: { ...keys, subject: 'mailto:ops@example.com' } });
    expect(given.body.vapidPublicKey).toBe(keys.publicKey);
    const other = (await import('web-push')).default.generateVAPIDKeys();
    const mismatched = await server.admin('POST', '/admin/apps', {
      name: 'bad',
      webpush: { publicKey: keys.publicKey, privateKey: other.privateKey },
    });
    expect(mismatched.body.error.code).toBe('INVALID_PROVIDER_CREDENTIALS');
  });

  it('refuses credentials that cannot work, naming the field', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const cases: [unknown, string, RegExp][] = [
      [{ name: 'x', apns: { ...apnsOf(fakes), keyP8: 'not a key' } }, 'INVALID_PROVIDER_CREDENTIALS', /keyP8/],
      [{ name: 'x', apns: { ...apnsOf(fakes), keyP8: rsa } }, 'INVALID_PROVIDER_CREDENTIALS', /P-256/],
      [{ name: 'x', apns: { ...apnsOf(fakes), keyId: 'short' } }, 'VALIDATION_FAILED', /keyId/],
      [
        { name: 'x', fcm: { serviceAccount: { ...fakes.fcm.serviceAccount, private_key: 'nope' } } },
        'INVALID_PROVIDER_CREDENTIALS',
        /private_key/,
      ],
      [{ name: 'x', fcm: { serviceAccount: { project_id: 'p' } } }, 'INVALID_PROVIDER_CREDENTIALS', /client_email/],
      [{ name: 'x', apns: { ...apnsOf(fakes), baseUrl: 'ftp://x' } }, 'VALIDATION_FAILED', /baseUrl/],
      [{ name: '' }, 'VALIDATION_FAILED', /name/],
      [{ name: 'x', colour: 'blue' }, 'VALIDATION_FAILED', /colour/],
    ];
    const before = (await server.admin('GET', '/admin/apps')).body.apps.length;
    for (const [body, code, message] of cases) {
      const response = await server.admin('POST', '/admin/apps', body);
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe(code);
      expect(response.body.error.message).toMatch(message);
    }
    expect((await server.admin('GET', '/admin/apps')).body.apps.length).toBe(before);
  });

  it('refuses every admin route without the admin token', async () => {
    const app = await createAppOnFakes(server, fakes);
    const routes: [string, string][] = [
      ['POST', '/admin/apps'],
      ['GET', '/admin/apps'],
      ['GET', `/admin/apps/${app.appId}`],
      ['PATCH', `/admin/apps/${app.appId}`],
      ['DELETE', `/admin/apps/${app.appId}`],
      ['POST', `/admin/apps/${app.appId}/sources`],
      ['GET', `/admin/apps/${app.appId}/sources`],
      ['POST', `/admin/apps/${app.appId}/sources/${app.sourceId}/rotate-secret`],
      ['DELETE', `/admin/apps/${app.appId}/sources/${app.sourceId}`],
      ['GET', `/admin/apps/${app.appId}/messages`],
      ['POST', `/admin/apps/${app.appId}/providers/apns/resume`],
    ];
    for (const [method, path] of routes) {
      for (const token of [null, 'wrong-token', app.appKey, app.serverKey]) {
        const response = await server.request(method, path, {
          token,
          ...(method === 'GET' || method === 'DELETE' ? {} : { body: { name: 'x' } }),
        });
        expect([method, path, response.status, response.body.error.code]).toEqual([method, path, 401, 'UNAUTHENTICATED']);
      }
    }
    expect((await server.admin('GET', `/admin/apps/${app.appId}`)).status).toBe(200);
  });

  it('answers a source with its ingest URL, lists it without the secret and deletes it', async () => {
    const app = await createAppOnFakes(server, fakes);
    const created = await server.admin('POST', `/admin/apps/${app.appId}/sources`, { name: 'second' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      sourceId: expect.stringMatching(/^src_/),
      secret: expect.stringMatching(/^whsec_/),
      mode: 'signature',
      ingestUrl: `${server.base}/v1/apps/${app.appId}/messages`,
    });
    const listed = await server.admin('GET', `/admin/apps/${app.appId}/sources`);
    expect(listed.body.sources.map((s: any) => s.name)).toEqual(['queue service', 'second']);
    expect(JSON.stringify(listed.body)).not.toContain('whsec_');
    expect((await server.admin('DELETE', `/admin/apps/${app.appId}/sources/${created.body.sourceId}`)).status).toBe(204);
    expect((await server.admin('DELETE', `/admin/apps/${app.appId}/sources/${created.body.sourceId}`)).body.error.code).toBe(
      'SOURCE_NOT_FOUND',
    );
    expect((await server.admin('POST', '/admin/apps/app_nope/sources', { name: 'x' })).body.error.code).toBe('APP_NOT_FOUND');
    // Behind a proxy (QUEUEBELL_PUSH_PUBLIC_URL) the ingest URL is the public one, not the address the admin called.
    server.deps.http.publicUrl = 'https://push.example.com';
    try {
      const behindProxy = await server.admin('POST', `/admin/apps/${app.appId}/sources`, { name: 'third' });
      expect(behindProxy.body.ingestUrl).toBe(`https://push.example.com/v1/apps/${app.appId}/messages`);
    } finally {
      server.deps.http.publicUrl = null;
    }
  });

  it("changes an app's name, titles and credentials, and removes a provider with null", async () => {
    const app = await createAppOnFakes(server, fakes);
    const changed = await server.admin('PATCH', `/admin/apps/${app.appId}`, { name: 'Renamed', titles: { default: 'Hello' }, fcm: null });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ name: 'Renamed', titles: { default: 'Hello' }, fcm: null, apns: { keyId: fakes.apns.keyId } });
    expect((await server.admin('PATCH', `/admin/apps/${app.appId}`, { apns: { ...apnsOf(fakes), keyP8: 'x' } })).status).toBe(400);
    expect((await server.admin('PATCH', '/admin/apps/app_nope', { name: 'x' })).body.error.code).toBe('APP_NOT_FOUND');
  });

  it('deletes an app with everything that belongs to it', async () => {
    const app = await createAppOnFakes(server, fakes);
    await server.request('POST', `/v1/apps/${app.appId}/devices`, {
      body: { provider: 'fcm', token: 'doomed' },
      headers: { 'x-app-key': app.appKey },
    });
    expect((await server.admin('DELETE', `/admin/apps/${app.appId}`)).status).toBe(204);
    expect((await server.admin('GET', `/admin/apps/${app.appId}`)).status).toBe(404);
    expect(await server.deps.db.selectFrom('devices').selectAll().where('app_id', '=', app.appId).execute()).toEqual([]);
    expect(
      (
        await server.request('POST', `/v1/apps/${app.appId}/devices`, {
          body: { provider: 'fcm', token: 'late' },
          headers: { 'x-app-key': app.appKey },
        })
      ).status,
    ).toBe(404);
  });

  it('answers bad input on admin and results routes with a 4xx in the error shape, never a 500', async () => {
    const app = await createAppOnFakes(server, fakes);
    const cases: [string, string, { raw?: string; body?: unknown }, number][] = [
      ['POST', '/admin/apps', { raw: '{"name": ' }, 400],
      ['PATCH', `/admin/apps/${app.appId}`, { body: { name: 42 } }, 400],
      ['PATCH', `/admin/apps/${app.appId}`, { body: { apns: { keyP8: 'x' } } }, 400],
      ['POST', `/admin/apps/${app.appId}/sources`, { body: { name: 'x', mode: 'carrier pigeon' } }, 400],
      ['POST', `/admin/apps/${app.appId}/providers/pager/resume`, {}, 400],
      ['GET', `/admin/apps/${app.appId}/messages?limit=abc`, {}, 400],
      ['GET', `/admin/apps/${app.appId}/messages?limit=5000`, {}, 400],
      ['GET', '/v1/push-ids/pid_x/pushes?limit=0', {}, 400],
      ['POST', `/admin/apps/${app.appId}/sources/src_nope/rotate-secret`, {}, 404],
    ];
    for (const [method, path, payload, status] of cases) {
      const response = await server.request(method, path, { ...payload, token: ADMIN_TOKEN });
      expect([method, path, response.status]).toEqual([method, path, status]);
      expect(response.body.error.code).toEqual(expect.any(String));
    }
  });

  it('publishes every route in the OpenAPI document', async () => {
    const spec = (await server.request('GET', '/openapi.json')).body;
    for (const path of [
      '/admin/apps',
      '/admin/apps/{appId}/sources',
      '/v1/apps/{appId}/devices',
      '/v1/push-ids/{pushId}/devices',
      '/v1/push-ids/{pushId}',
      '/v1/push-ids/{pushId}/devices/{deviceId}',
      '/v1/apps/{appId}/push-ids/{pushId}/devices',
      '/v1/apps/{appId}/messages',
      '/v1/push-ids/{pushId}/pushes',
    ]) {
      expect(Object.keys(spec.paths)).toContain(path);
    }
    expect(spec.components.securitySchemes.appKey).toMatchObject({ in: 'header', name: 'x-app-key' });
    expect((await server.request('GET', '/readyz')).status).toBe(200);
  });
});
