/**
 * The system under test of the delivery-latency benchmark, in its own process: the queue service
 * as `queuebell start` runs it (role all: API and dispatcher together) on a fresh SQLite database,
 * seeded with a company whose one webhook destination is the benchmark's receiver
 * (DELIVERY_RECEIVER_URL), so every booking is a committed change that must reach the receiver.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/platform/config.js';
import { startQueueService } from '../../src/queue-service/main.js';

const dataDir = mkdtempSync(join(tmpdir(), 'queuebell-delivery-bench-'));
const adminToken = 'bench-admin-token-0123456789';
const config = {
  ...loadConfig({
    ...process.env, QUEUEBELL_DATA_DIR: dataDir, QUEUEBELL_QUEUE_PORT: '0', QUEUEBELL_ALLOW_PRIVATE_WEBHOOKS: '1', QUEUEBELL_LOG_LEVEL: 'warn',
    QUEUEBELL_RATE_LIMIT_KEY_PER_MINUTE: '100000000', QUEUEBELL_RATE_LIMIT_ADDRESS_PER_MINUTE: '100000000',
  }),
  adminToken, masterKey: 'bench-master-key-0123456789abcdef0123456789',
};
const service = await startQueueService({ config, role: 'all' });
const url = service.url!;

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<any> {
  const response = await fetch(url + path, {
    method, body: body === undefined ? undefined : JSON.stringify(body),
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? null : response.json();
}
const admin = { authorization: `Bearer ${adminToken}` };

const company = await call('POST', '/admin/companies', { name: 'Bench' }, admin);
const { key } = await call('POST', `/admin/companies/${company.id}/keys`, { scopes: ['booking'] }, admin);
const place = await call('POST', `/admin/companies/${company.id}/places`, { name: 'Bench place', timeZone: 'Europe/Paris' }, admin);
const queue = await call('POST', `/admin/places/${place.id}/queues`, { name: 'Bench queue' }, admin);
await call('POST', `/admin/companies/${company.id}/webhooks`, { url: process.env.DELIVERY_RECEIVER_URL }, admin);
const tokens: string[] = [];
for (let i = 0; i < 32; i++) tokens.push((await call('POST', '/v2/users', undefined, { 'x-api-key': key })).jwtToken);

process.on('message', (message: { type: string }) => {
  if (message.type === 'stats') process.send?.({ type: 'stats', reply: service.dispatcher?.stats });
});
process.send?.({ ready: true, url, key, queueId: queue.id, tokens });
process.on('SIGTERM', () => void service.close().then(() => process.exit(0)));
