/**
 * The queue service under the live-stream benchmark, in its own process: role api (the streams
 * live in the API process) on a fresh embedded database, seeded through its own API with one
 * queue, an open counter and `count` waiting tickets. Answers `{type: 'memory'}` with its memory
 * after a full garbage collection, and `{type: 'streams'}` with the streams it holds.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { startQueueService } from '../../src/queue-service/main.js';
import { apiCaller, benchConfig, seedBenchCompany } from './bench-company.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const count = Number(process.argv[2] ?? '5000');
const service = await startQueueService({ config: benchConfig('streams'), role: 'api' });
const url = service.url!;
const call = apiCaller(url);
const {
  key,
  queueId,
  endpointId,
  tokens: users,
} = await seedBenchCompany(call, {
  scopes: ['booking', 'operator'],
  queueSettings: { maxGroupSize: 10 },
  openCounter: true,
  users: 100,
});
// Tickets in booking order, each with the token of its holder, booked 32 at a time.
const tickets: Array<{ id: string; token: string }> = new Array(count);
for (let start = 0; start < count; start += 32) {
  await Promise.all(
    Array.from({ length: Math.min(32, count - start) }, async (_, offset) => {
      const index = start + offset;
      const token = users[index % users.length]!;
      const ticket = await call(
        'POST',
        `/v2/queues/${queueId}/ticket`,
        { groupSize: 1 + (index % 3) },
        { 'x-api-key': key, authorization: `Bearer ${token}` },
      );
      tickets[index] = { id: ticket.ticketId, token };
    }),
  );
}

function memory() {
  gc();
  const usage = process.memoryUsage();
  return { rss: usage.rss, heapUsed: usage.heapUsed, external: usage.external + usage.arrayBuffers };
}

process.on('message', (message: { type?: string }) => {
  if (message?.type === 'memory') process.send?.({ type: 'memory', reply: memory() });
});
process.send?.({ ready: true, url, key, queueId, endpointId, tickets });
process.on('SIGTERM', () => void service.close().then(() => process.exit(0)));
