/**
 * The queue service under the edge-checks benchmark, in its own process (API role, fresh SQLite):
 * a company with a booking key and a webhook destination (every booking writes an outbox row),
 * one place, and one fresh queue per measured round, each with the settings the bench names, so
 * every round starts from an empty queue whatever ran before it. Requests:
 * - `{type: 'queues', settings: object[]}` creates one queue per entry; a tree without the fair-use
 *   settings (before the edge checks) refuses them, and the queue is created without them then
 *   (the reply says so): the same bench runs on either tree.
 * - `{type: 'users', count}` creates `count` users through POST /v2/users, 32 at a time.
 * Only bench/servers/bench-company.ts's benchConfig and apiCaller are used, which both trees have.
 */
import { startQueueService } from '../../src/queue-service/main.js';
import { apiCaller, benchConfig, BENCH_ADMIN_TOKEN } from './bench-company.js';

const service = await startQueueService({ config: benchConfig('edge-checks', { QUEUEBELL_ALLOW_PRIVATE_WEBHOOKS: '1' }), role: 'api' });
const url = service.url!;
const call = apiCaller(url);
const admin = { authorization: `Bearer ${BENCH_ADMIN_TOKEN}` };
const company = await call('POST', '/admin/companies', { name: 'Edge checks' }, admin);
const { key } = await call('POST', `/admin/companies/${company.id}/keys`, { scopes: ['booking'] }, admin);
const place = await call('POST', `/admin/companies/${company.id}/places`, { name: 'Bench place', timeZone: 'Europe/Paris' }, admin);
await call('POST', `/admin/companies/${company.id}/webhooks`, { url: 'http://127.0.0.1:9/push' }, admin);

async function createQueues(settings: object[]): Promise<{ queueIds: string[]; limitsApplied: boolean }> {
  const queueIds: string[] = [];
  let limitsApplied = true;
  for (const [i, wanted] of settings.entries()) {
    const name = `Round ${i + 1}`;
    const created = await call('POST', `/admin/places/${place.id}/queues`, { name, settings: wanted }, admin).catch((error: Error) => {
      if (!/\b400\b/.test(error.message)) throw error;
      limitsApplied = false;
      return call('POST', `/admin/places/${place.id}/queues`, { name }, admin);
    });
    queueIds.push(created.id ?? created.queueId);
  }
  return { queueIds, limitsApplied };
}

async function createUsers(count: number): Promise<string[]> {
  const tokens: string[] = new Array(count);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) tokens[i] = (await call('POST', '/v2/users', undefined, { 'x-api-key': key })).jwtToken;
  };
  await Promise.all(Array.from({ length: 32 }, worker));
  return tokens;
}

process.on('message', (message: { type: string; settings?: object[]; count?: number }) => {
  const reply = (value: unknown) => process.send?.({ type: message.type, reply: value });
  if (message.type === 'queues') void createQueues(message.settings!).then(reply);
  if (message.type === 'users') void createUsers(message.count!).then(reply);
});
process.send?.({ ready: true, url, key });
process.on('SIGTERM', () => void service.close().then(() => process.exit(0)));
