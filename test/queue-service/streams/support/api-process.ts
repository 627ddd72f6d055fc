/**
 * The child side of the two-process stream test: a queue service with role api (its own streams,
 * no workers) on the database named by QUEUEBELL_DATABASE_URL, reporting `{ready, url}` over IPC.
 */
import { loadConfig } from '../../../../src/platform/config.js';
import { startQueueService } from '../../../../src/queue-service/main.js';

const config = loadConfig(process.env);
const service = await startQueueService({
  config: { ...config, adminToken: config.adminToken!, masterKey: config.masterKey! },
  role: 'api',
});
process.on('SIGTERM', () => {
  void service.close().then(() => process.exit(0));
});
process.send?.({ ready: true, url: service.url });
