import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../support/engines.js';
import { APNS_TOKEN, startTestPushServer, type TestPushServer } from './support.js';

const ORIGIN = { origin: 'https://tickets.example' };
const PREFLIGHT = { ...ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, x-app-key' };

describeEachEngine('push server route groups', (engine) => {
  let server: TestPushServer;
  let appId: string;
  let appKey: string;
  let serverKey: string;
  let pushId: string;
  let secret: string;
  let deviceId: string;

  beforeAll(async () => {
    server = await startTestPushServer(engine);
    ({ appId, appKey, serverKey } = (await server.admin('POST', '/admin/apps', { name: 'groups' })).body);
    const registered = await server.request('POST', `/v1/apps/${appId}/devices`, {
      body: { provider: 'apns', token: APNS_TOKEN, environment: 'sandbox' },
      headers: { 'x-app-key': appKey },
    });
    ({ pushId, secret, deviceId } = registered.body);
  });
  afterAll(() => server.close());

  it('answers the preflight of every route a web page calls, before any credential', async () => {
    const paths = [
      `/v1/apps/${appId}/vapid-public-key`,
      `/v1/apps/${appId}/devices`,
      `/v1/push-ids/${pushId}`,
      `/v1/push-ids/${pushId}/devices`,
      `/v1/push-ids/${pushId}/devices/${deviceId}`,
      `/v1/push-ids/${pushId}/pushes`,
    ];
    for (const path of paths) {
      const response = await server.request('OPTIONS', path, { headers: PREFLIGHT });
      expect({ path, status: response.status }).toEqual({ path, status: 204 });
      expect(Object.fromEntries([...response.headers].filter(([name]) => name.startsWith('access-control-')))).toEqual({
        'access-control-allow-origin': '*',
        'access-control-allow-methods': 'GET, POST, PUT, DELETE',
        'access-control-allow-headers': 'authorization, content-type, x-app-key',
        'access-control-max-age': '600',
      });
    }
  });

  it('lets a page read the answers of browser routes, refusals included', async () => {
    const vapid = await server.request('GET', `/v1/apps/${appId}/vapid-public-key`, { headers: ORIGIN });
    const refused = await server.request('GET', `/v1/push-ids/${pushId}`, { headers: ORIGIN, token: 'not-the-secret' });
    const pushes = await server.request('GET', `/v1/push-ids/${pushId}/pushes`, { headers: ORIGIN, token: secret });
    expect([vapid.status, refused.status, pushes.status]).toEqual([200, 401, 200]);
    for (const response of [vapid, refused, pushes]) expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('sends no CORS headers on the groups browsers do not call: ingest, admin and server-key routes', async () => {
    const calls = [
      await server.request('POST', `/v1/apps/${appId}/messages`, { headers: ORIGIN, body: { pushId } }),
      await server.request('GET', '/admin/apps', { headers: ORIGIN, token: server.deps.adminToken }),
      await server.request('DELETE', `/v1/apps/${appId}/push-ids/backend-user-1`, { headers: { ...ORIGIN, 'x-server-key': serverKey } }),
    ];
    expect(calls.map((response) => response.status)).toEqual([401, 200, 204]);
    for (const path of [`/v1/apps/${appId}/messages`, '/admin/apps', `/v1/apps/${appId}/push-ids/backend-user-1`]) {
      const preflight = await server.request('OPTIONS', path, { headers: PREFLIGHT });
      expect({ path, status: preflight.status }).toEqual({ path, status: 404 });
      calls.push(preflight);
    }
    for (const response of calls) expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses an admin call without the right token before reading its body, in the one error shape', async () => {
    const missing = await server.request('POST', '/admin/apps', { body: { unknownField: true } });
    const wrong = await server.request('GET', '/admin/apps', { token: 'not-the-admin-token' });
    const byAppKey = await server.request('GET', `/admin/apps/${appId}`, { headers: { 'x-app-key': appKey } });
    for (const response of [missing, wrong, byAppKey]) {
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ error: { code: 'UNAUTHENTICATED', message: expect.any(String) } });
    }
  });

  it('checks each registration credential in its own group: app key, server key, pushId secret', async () => {
    const device = { provider: 'apns', token: APNS_TOKEN, environment: 'sandbox' };
    const byServerKey = await server.request('POST', `/v1/apps/${appId}/devices`, { body: device, headers: { 'x-server-key': serverKey } });
    const byAppKey = await server.request('PUT', `/v1/apps/${appId}/push-ids/backend-user-2/devices`, {
      body: device,
      headers: { 'x-app-key': appKey },
    });
    const byOtherSecret = await server.request('DELETE', `/v1/push-ids/${pushId}/devices/${deviceId}`, { token: appKey });
    expect([byServerKey, byAppKey, byOtherSecret].map((response) => response.body)).toEqual([
      { error: { code: 'INVALID_APP_KEY', message: expect.any(String) } },
      { error: { code: 'INVALID_SERVER_KEY', message: expect.any(String) } },
      { error: { code: 'PUSH_ID_SECRET_MISMATCH', message: expect.any(String) } },
    ]);
    expect([byServerKey, byAppKey, byOtherSecret].map((response) => response.status)).toEqual([401, 401, 401]);
  });

  it("lets the admin token read any pushId's results and a wrong secret none", async () => {
    const asAdmin = await server.request('GET', `/v1/push-ids/${pushId}/pushes`, { token: server.deps.adminToken });
    const wrong = await server.request('GET', `/v1/push-ids/${pushId}/pushes`, { token: 'pis_wrong' });
    expect([asAdmin.status, asAdmin.body.pushId, wrong.status, wrong.body.error.code]).toEqual([
      200,
      pushId,
      401,
      'PUSH_ID_SECRET_MISMATCH',
    ]);
  });
});
