/**
 * The queue service under the live-stream benchmark, in its own process: role api (the streams
 * live in the API process) on a fresh embedded database, seeded through its own API with one
 * queue, an open counter and `count` waiting tickets. Answers `{type: 'memory'}` with its memory
 * after a full garbage collection, and `{type: 'streams'}` with the streams it holds.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadConfig } from '../../src/platform/config.js';
import { startQueueService } from '../../src/queue-service/main.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const count = Number(process.argv[2] ?? '5000');
const dataDir = mkdtempSync(join(tmpdir(), 'queuebell-bench-streams-'));
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
await call('PUT', `/v2/endpoints/${endpoint.id}`, { isOpen: true }, { 'x-api-key': key });
const users: string[] = [];
for (let i = 0; i < 100; i++) users.push((await call('POST', '/v2/users', undefined, { 'x-api-key': key })).jwtToken);
// Tickets in booking order, each with the token of its holder, booked 32 at a time.
const tickets: Array<{ id: string; token: string }> = new Array(count);
for (let start = 0; start < count; start += 32) {
  await Promise.all(Array.from({ length: Math.min(32, count - start) }, async (_, offset) => {
    const index = start + offset;
    const token = users[index % users.length]!;
    const ticket = await call('POST', `/v2/queues/${queue.id}/ticket`, { groupSize: 1 + (index % 3) }, { 'x-api-key': key, authorization: `Bearer ${token}` });
    tickets[index] = { id: ticket.id, token };
  }));
}

function memory() {
  gc();
  const usage = process.memoryUsage();
  return { rss: usage.rss, heapUsed: usage.heapUsed, external: usage.external + usage.arrayBuffers };
}

process.on('message', (message: { type?: string }) => {
  if (message?.type === 'memory') process.send?.({ type: 'memory', reply: memory() });
});
process.send?.({ ready: true, url, key, queueId: queue.id, endpointId: endpoint.id, tickets });
process.on('SIGTERM', () => void service.close().then(() => process.exit(0)));
