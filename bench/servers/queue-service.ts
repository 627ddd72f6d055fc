/**
 * The queue service under test, in its own process: API role on a fresh embedded database (or
 * QUEUEBELL_DATABASE_URL), seeded with a company, a queue, a counter served by an open operator
 * and a webhook destination, so every booking writes a real outbox row.
 */
import { startQueueService } from '../../src/queue-service/main.js';
import { apiCaller, benchConfig, seedBenchCompany } from './bench-company.js';

const service = await startQueueService({ config: benchConfig('booking', { QUEUEBELL_ALLOW_PRIVATE_WEBHOOKS: '1' }), role: 'api' });
const url = service.url!;
const seeded = await seedBenchCompany(apiCaller(url), {
  scopes: ['booking', 'operator'],
  queueSettings: { maxGroupSize: 10 },
  openCounter: true,
  webhookUrl: 'http://127.0.0.1:9/push',
  // A person holds one open ticket (the default limit): with 64 users each held hundreds, and the
  // fair-use count walking them grew from 10 to 42 µs a booking over a run.
  users: 1000,
});

process.send?.({ ready: true, url, ...seeded });
process.on('SIGTERM', () => void service.close().then(() => process.exit(0)));
