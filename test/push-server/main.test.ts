import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFakePushProviders, type FakePushProviders } from '../../src/fakes/push-providers.js';
import { loadConfig, type Config } from '../../src/platform/config.js';
import { startPushServer, startPushServerInThread } from '../../src/push-server/main.js';
import { signWebhook } from '../../src/contract/standard-webhooks.js';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/engines.js';
import { ADMIN_TOKEN, MASTER_KEY, apnsToken, messageBody } from './support.js';

describeEachEngine('startPushServer', (engine) => {
  let fakes: FakePushProviders;
  let database: TestDatabase;
  let config: Config;
  let dataDir: string;

  beforeAll(async () => {
    fakes = await startFakePushProviders();
    database = await createTestDatabase(engine);
    dataDir = mkdtempSync(join(tmpdir(), 'qb-push-main-'));
    config = loadConfig(
      {},
      {
        pushPort: 0,
        pushWorkerPort: 0,
        host: '127.0.0.1',
        dataDir,
        pushDatabaseUrl: database.target,
        adminToken: ADMIN_TOKEN,
        masterKey: MASTER_KEY,
        allowPrivateWebhooks: true,
      },
    );
  });
  afterAll(async () => {
    await fakes.close();
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const call = async (base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(base + path, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: await response.json().catch(() => null) };
  };
  const silent = pino({ level: 'silent' });

  /** One app, one APNs device and one signed message through the server at `base`, waited for at the fake APNs; answers the app id. */
  async function pushOne(base: string, tokenSeed: number, messageId: string): Promise<string> {
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const { keyP8, keyId, teamId, topic, baseUrl, ca } = fakes.apns;
    const app = await call(base, 'POST', '/admin/apps', { name: messageId, apns: { keyP8, keyId, teamId, topic, baseUrl, ca } }, admin);
    const source = await call(base, 'POST', `/admin/apps/${app.body.appId}/sources`, { name: 'q' }, admin);
    const token = apnsToken(tokenSeed);
    const device = await call(
      base,
      'POST',
      `/v1/apps/${app.body.appId}/devices`,
      { provider: 'apns', token, environment: 'production' },
      { 'x-app-key': app.body.appKey },
    );
    const raw = JSON.stringify(messageBody(device.body.pushId));
    const ingest = await fetch(source.body.ingestUrl, {
      method: 'POST',
      body: raw,
      headers: {
        'content-type': 'application/json',
        ...signWebhook([source.body.secret], messageId, Math.floor(Date.now() / 1000), raw),
      },
    });
    expect(ingest.status).toBe(202);
    await fakes.apns.control.waitFor(1, (d) => d.token === token);
    return app.body.appId;
  }

  it('runs the four steps with the API and the worker as separate services on one database', async () => {
    const api = await startPushServer({ config, role: 'api', logger: silent });
    const worker = await startPushServer({ config, role: 'worker', logger: silent, worker: { pollIntervalMs: 100 } });
    try {
      expect(worker.url).toBeNull();
      const base = api.url!;
      await pushOne(base, 0x5117, 'msg_split_1');
      expect((await call(base, 'GET', '/healthz')).status).toBe(200);
      expect((await call(base, 'GET', '/readyz')).status).toBe(200);
    } finally {
      await worker.close();
      await api.close();
    }
  });

  it('pushes from its worker thread (role all, threads) and counts those pushes in the API’s /metrics', async () => {
    const server = await startPushServer({ config: { ...config, logLevel: 'silent' }, role: 'all', threads: true, logger: silent });
    try {
      const base = server.url!;
      const appId = await pushOne(base, 0x7113, 'msg_thread_1');
      let metrics = '';
      for (let i = 0; i < 50 && !/queuebell_pushes_total\{[^}]*result="delivered"[^}]*\} [1-9]/.test(metrics); i++) {
        metrics = await (await fetch(`${base}/metrics`)).text();
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(metrics).toMatch(new RegExp(`queuebell_pushes_total\\{[^}]*app="${appId}"[^}]*\\} 1`));
    } finally {
      await server.close();
    }
  }, 60_000);

  it('runs whole in a thread of its own, as queuebell start does, and frees its port on close', async () => {
    const server = await startPushServerInThread({ config: { ...config, logLevel: 'silent' }, logger: silent });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    try {
      await pushOne(server.url!, 0x7114, 'msg_server_thread_1');
      expect((await call(server.url!, 'GET', '/readyz')).status).toBe(200);
    } finally {
      await server.close();
    }
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  }, 60_000);

  it('keeps running after a restart on the same database and closes gracefully', async () => {
    const first = await startPushServer({ config, role: 'all', logger: silent });
    const apps = await call(first.url!, 'GET', '/admin/apps', undefined, { authorization: `Bearer ${ADMIN_TOKEN}` });
    await first.close();
    const second = await startPushServer({ config, role: 'all', logger: silent });
    expect((await call(second.url!, 'GET', '/admin/apps', undefined, { authorization: `Bearer ${ADMIN_TOKEN}` })).body.apps).toEqual(
      apps.body.apps,
    );
    await second.close();
    await expect(fetch(`${second.url}/healthz`)).rejects.toThrow();
  });

  it('serves health, readiness and metrics from a worker-only process on its own port, and refuses a taken one in one line', async () => {
    const api = await startPushServer({ config, role: 'api', logger: silent });
    const port = Number(new URL(api.url!).port);
    const worker = await startPushServer({ config, role: 'worker', logger: silent });
    try {
      expect(worker.url).toBeNull();
      expect(await (await fetch(`${worker.healthUrl}/metrics`)).text()).toContain('queuebell_pushes_total');
      expect((await fetch(`${worker.healthUrl}/healthz`)).status).toBe(200);
      expect((await fetch(`${worker.healthUrl}/readyz`)).status).toBe(200);
      const taken = startPushServer({ config: { ...config, pushWorkerPort: port }, role: 'worker', logger: silent });
      await expect(taken).rejects.toThrow(new RegExp(`^port ${port} on 127\\.0\\.0\\.1 is already in use$`));
    } finally {
      await worker.close();
      await api.close();
    }
  });

  it('refuses to start without an admin token or a master key', async () => {
    await expect(startPushServer({ config: { ...config, masterKey: null }, role: 'all', logger: silent })).rejects.toThrow(/master key/);
  });

  it('writes no key, secret or device token into its logs', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    // No redaction at all and the most verbose level: what is checked is that nothing sensitive is ever handed to the logger.
    const logger = pino({ level: 'trace' }, sink);
    const server = await startPushServer({ config, role: 'all', logger, worker: { pollIntervalMs: 50 } });
    try {
      const base = server.url!;
      const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
      const app = await call(
        base,
        'POST',
        '/admin/apps',
        {
          name: 'logs',
          apns: {
            keyP8: fakes.apns.keyP8,
            keyId: fakes.apns.keyId,
            teamId: fakes.apns.teamId,
            topic: fakes.apns.topic,
            baseUrl: fakes.apns.baseUrl,
            ca: fakes.apns.ca,
          },
          fcm: { serviceAccount: fakes.fcm.serviceAccount, baseUrl: fakes.fcm.baseUrl },
        },
        admin,
      );
      const source = await call(base, 'POST', `/admin/apps/${app.body.appId}/sources`, { name: 'q' }, admin);
      const token = apnsToken(0x1095);
      fakes.apns.control.respond(token, { status: 403, reason: 'InvalidProviderToken', times: 1 });
      const device = await call(
        base,
        'POST',
        `/v1/apps/${app.body.appId}/devices`,
        { provider: 'apns', token, environment: 'production' },
        { 'x-app-key': app.body.appKey },
      );
      const raw = JSON.stringify(messageBody(device.body.pushId));
      const sign = (secret: string) => ({
        'content-type': 'application/json',
        ...signWebhook([secret], `msg_logs_${secret.length}`, Math.floor(Date.now() / 1000), raw),
      });
      await fetch(source.body.ingestUrl, { method: 'POST', body: raw, headers: sign(`whsec_${Buffer.alloc(32, 7).toString('base64')}`) });
      await fetch(source.body.ingestUrl, { method: 'POST', body: raw, headers: sign(source.body.secret) });
      const until = Date.now() + 10_000;
      while (!lines.some((line) => line.includes('provider credentials refused')) && Date.now() < until)
        await new Promise((resolve) => setTimeout(resolve, 20));
      const all = lines.join('\n');
      expect(all).toContain('provider credentials refused');
      for (const secret of [
        ADMIN_TOKEN,
        MASTER_KEY,
        app.body.appKey,
        app.body.serverKey,
        source.body.secret,
        device.body.secret,
        token,
        fakes.apns.keyP8.split('\n')[1]!,
        fakes.fcm.serviceAccount.private_key.split('\n')[1]!,
      ]) {
        expect(all).not.toContain(secret);
      }
    } finally {
      await server.close();
    }
  });
});
