/**
 * The system under test of the default-mode benchmark, in its own process: both services as
 * `queuebell start` runs them on fresh SQLite databases (DEFAULT_MODE_LAYOUT=threads: the queue
 * service's API on the main thread; the dispatcher, the scheduler, the push server and its push
 * worker in worker threads), or the
 * same on one event loop (one-loop), or the queue service's API alone (api). The bench sets up the
 * company, the push app and the devices over HTTP; this process reports its memory.
 */
import { rmSync } from 'node:fs';
import pino from 'pino';
import { startPushServer, startPushServerInThread } from '../../src/push-server/main.js';
import { startQueueService } from '../../src/queue-service/main.js';
import { benchConfig } from './bench-company.js';

const layout = (process.env.DEFAULT_MODE_LAYOUT ?? 'threads') as 'threads' | 'one-loop' | 'api';
const config = benchConfig('default-mode', {
  QUEUEBELL_ALLOW_PRIVATE_WEBHOOKS: '1',
  QUEUEBELL_PUSH_PORT: '0',
  QUEUEBELL_LOG_LEVEL: 'warn',
});
const logger = pino({ level: 'warn' });
const threads = layout === 'threads';
const push =
  layout === 'api'
    ? null
    : threads
      ? await startPushServerInThread({ config, logger })
      : await startPushServer({ config, role: 'all', threads, logger });
const queue = await startQueueService({ config, role: layout === 'api' ? 'api' : 'all', threads, logger });

let rssPeak = 0;
const sampler = setInterval(() => {
  rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
}, 100);
const MB = 2 ** 20;

process.on('message', (message: { type: string }) => {
  if (message.type === 'memory') {
    process.send?.({ type: 'memory', reply: { rssMB: Math.round(process.memoryUsage.rss() / MB), rssPeakMB: Math.round(rssPeak / MB) } });
    rssPeak = 0;
  }
});
process.send?.({ ready: true, url: queue.url, pushUrl: push?.url ?? null });
process.on('SIGTERM', () => {
  void (async () => {
    clearInterval(sampler);
    await queue.close();
    await push?.close();
    rmSync(config.dataDir, { recursive: true, force: true });
    process.exit(0);
  })();
});
