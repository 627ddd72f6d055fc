/** The push server's public routes are rate limited per client address. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPushDeps } from '../../src/push-server/deps.js';
import { buildPushApp } from '../../src/push-server/app.js';
import { migratePushDatabase, openPushDatabase } from '../../src/push-server/db/connect.js';
import type { HttpServer } from '../../src/platform/http/server.js';
import { loadConfig } from '../../src/platform/config.js';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/engines.js';
import { ADMIN_TOKEN, MASTER_KEY } from '../push-server/support.js';

it('reads the push server limit from QUEUEBELL_PUSH_RATE_LIMIT_ADDRESS_PER_MINUTE, 600 by default', () => {
  expect(loadConfig({ QUEUEBELL_DATA_DIR: '/nonexistent' }).pushRateLimitPerAddressPerMinute).toBe(600);
  expect(
    loadConfig({ QUEUEBELL_DATA_DIR: '/nonexistent', QUEUEBELL_PUSH_RATE_LIMIT_ADDRESS_PER_MINUTE: '7' }).pushRateLimitPerAddressPerMinute,
  ).toBe(7);
});

describeEachEngine('push server rate limit per address', (engine) => {
  let testDb: TestDatabase;
  let app: HttpServer;
  let close: () => Promise<void>;
  let base: string;
  beforeAll(async () => {
    testDb = await createTestDatabase(engine);
    const database = openPushDatabase(testDb.target);
    await migratePushDatabase(database);
    const deps = createPushDeps({ database, masterKey: MASTER_KEY, adminToken: ADMIN_TOKEN, rateLimitPerAddressPerMinute: 3 });
    app = await buildPushApp(deps);
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    close = async () => {
      await app.close();
      await deps.ingest.flush();
      await database.close();
      await testDb.drop();
    };
  });
  afterAll(() => close());

  it('answers 429 RATE_LIMITED with Retry-After once an address spends its share on registration and results routes', async () => {
    const statuses = [
      (await fetch(`${base}/v1/apps/app_nope/vapid-public-key`)).status,
      (await fetch(`${base}/v1/push-ids/pid_nope`, { headers: { authorization: 'Bearer x' } })).status,
      (await fetch(`${base}/v1/push-ids/pid_nope/pushes`, { headers: { authorization: 'Bearer x' } })).status,
    ];
    expect(statuses).toEqual([404, 401, 401]);
    const limited = await fetch(`${base}/v1/apps/app_nope/vapid-public-key`);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await limited.json()).error.code).toBe('RATE_LIMITED');
    // The admin routes are not counted: an operator's tooling is not a browser.
    expect((await fetch(`${base}/admin/apps`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).status).toBe(200);
  });
});
