/**
 * The child side: a queue service in its own process, as `queuebell queue-service --role …` runs
 * it — started with `node --import tsx` by processes.ts. Configuration comes from the environment
 * (QUEUEBELL_*); SERVICE_ROLE and SERVICE_DISPATCH (JSON) choose the role and tune the dispatcher.
 * It reports `{ready, url}` over IPC, answers `{type: 'stats'}` with its dispatcher's counters,
 * and shuts down gracefully on SIGTERM.
 */
import { loadConfig } from '../../../../src/platform/config.js';
import type { ServiceRole } from '../../../../src/platform/service.js';
import { startQueueService } from '../../../../src/queue-service/main.js';

const config = loadConfig(process.env);
const service = await startQueueService({
  config: { ...config, adminToken: config.adminToken!, masterKey: config.masterKey! },
  role: (process.env.SERVICE_ROLE ?? 'worker') as ServiceRole,
  dispatch: JSON.parse(process.env.SERVICE_DISPATCH ?? '{}'),
});
process.on('message', (message: { type?: string }) => {
  if (message?.type === 'stats') process.send?.({ type: 'stats', reply: service.dispatcher?.stats ?? null });
});
process.on('SIGTERM', () => {
  void service.close().then(() => process.exit(0));
});
process.send?.({ ready: true, url: service.url });
