/**
 * The queue service under test, in its own process: API role on a fresh embedded database (or
 * QUEUEBELL_DATABASE_URL), seeded with a company, a queue, a counter served by an open operator
 * and a webhook destination, so every booking writes a real outbox row.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/platform/config.js';
import { startQueueService } from '../../src/queue-service/main.js';

const dataDir = mkdtempSync(join(tmpdir(), 'queuebell-bench-'));
const adminToken = 'bench-admin-token-0123456789';
const config = {
  ...loadConfig({ ...process.env, QUEUEBELL_DATA_DIR: dataDir, QUEUEBELL_QUEUE_PORT: '0', QUEUEBELL_RATE_LIMIT_KEY_PER_MINUTE: '100000000', QUEUEBELL_RATE_LIMIT_ADDRESS_PER_MINUTE: '100000000', QUEUEBELL_LOG_LEVEL: 'warn' }),
  adminToken,
  masterKey: 'bench-master-key-0123456789abcdef0123456789',
};
const service = await startQueueService({ config, role: 'api' });
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
const { key } = await call('POST', `/admin/companies/${company.id}/keys`, { scopes: ['booking', 'operator'] }, admin);
const place = await call('POST', `/admin/companies/${company.id}/places`, { name: 'Bench place', timeZone: 'Europe/Paris' }, admin);
const queue = await call('POST', `/admin/places/${place.id}/queues`, { name: 'Bench queue', settings: { maxGroupSize: 10 } }, admin);
const endpoint = await call('POST', `/admin/places/${place.id}/endpoints`, { name: 'Counter 1', queueIds: [queue.id] }, admin);
await call('POST', `/admin/companies/${company.id}/webhooks`, { url: 'http://127.0.0.1:9/push' }, admin);
await call('PUT', `/v2/endpoints/${endpoint.id}`, { isOpen: true }, { 'x-api-key': key });
const tokens: string[] = [];
for (let i = 0; i < 64; i++) tokens.push((await call('POST', '/v2/users', undefined, { 'x-api-key': key })).jwtToken);

process.send?.({ ready: true, url, key, queueId: queue.id, endpointId: endpoint.id, tokens });
process.on('SIGTERM', () => void service.close().then(() => process.exit(0)));
