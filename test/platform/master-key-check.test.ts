/**
 * Two hosts must share the master key (docs/operations.md): a service started with a key that
 * cannot open what its database holds — sealed by another host — refuses to start, saying so,
 * instead of failing message by message later.
 */
import pino from 'pino';
import { afterEach, expect, it } from 'vitest';
import { loadConfig } from '../../src/platform/config.js';
import { MasterKeyMismatchError } from '../../src/platform/master-key-check.js';
import { startPushServer } from '../../src/push-server/main.js';
import { startQueueService } from '../../src/queue-service/main.js';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../support/engines.js';

const ADMIN_TOKEN = 'test-admin-token-0123456789';
const FIRST_KEY = 'first-host-master-key-0123456789abcdef';
const OTHER_KEY = 'other-host-master-key-0123456789abcdef';

describeEachEngine('the shared master key', (engine) => {
  const databases: TestDatabase[] = [];
  afterEach(async () => {
    for (const database of databases.splice(0)) await database.drop();
  });

  async function configWith(masterKey: string, queueDb: TestDatabase, pushDb: TestDatabase) {
    const config = loadConfig(
      { QUEUEBELL_DATA_DIR: '/nonexistent-test-dir' },
      { databaseUrl: queueDb.target, pushDatabaseUrl: pushDb.target, queuePort: 0, pushPort: 0, host: '127.0.0.1', logLevel: 'silent' },
    );
    return { ...config, adminToken: ADMIN_TOKEN, masterKey };
  }

  it('stops a host whose key cannot open the secrets another host sealed, and names the setting', async () => {
    const [queueDb, pushDb] = [await createTestDatabase(engine), await createTestDatabase(engine)];
    databases.push(queueDb, pushDb);
    const logger = pino({ level: 'silent' });
    const first = await configWith(FIRST_KEY, queueDb, pushDb);
    const queue = await startQueueService({ config: first, role: 'api', logger });
    const push = await startPushServer({ config: first, role: 'api', logger });
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
    const company = await (await fetch(`${queue.url}/admin/companies`, { method: 'POST', headers: admin, body: '{"name":"Acme"}' })).json();
    const webhook = await fetch(`${queue.url}/admin/companies/${company.id}/webhooks`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ url: 'https://push.example.com/hook' }),
    });
    expect(webhook.status).toBe(201);
    const app = await (await fetch(`${push.url}/admin/apps`, { method: 'POST', headers: admin, body: '{"name":"App"}' })).json();
    expect(
      (await fetch(`${push.url}/admin/apps/${app.appId}/sources`, { method: 'POST', headers: admin, body: '{"name":"q"}' })).status,
    ).toBe(201);
    await queue.close();
    await push.close();

    const other = await configWith(OTHER_KEY, queueDb, pushDb);
    const refusedQueue = startQueueService({ config: other, role: 'api', logger });
    await expect(refusedQueue).rejects.toBeInstanceOf(MasterKeyMismatchError);
    await expect(refusedQueue).rejects.toThrow(/webhook signing secrets.*QUEUEBELL_MASTER_KEY/);
    await expect(startPushServer({ config: other, role: 'api', logger })).rejects.toThrow(/source secrets.*QUEUEBELL_MASTER_KEY/);

    // The right key still starts.
    const again = await startQueueService({ config: first, role: 'api', logger });
    await again.close();
  }, 60_000);
});
