/**
 * What `npm start` runs, in the test process: the fake push providers with the Web Push window,
 * the push server and the queue service (workers included) on a fresh SQLite data dir, the demo
 * data, and the pages set up through the admin API. The browser suite drives the pages against it; the test keeps
 * the fakes' controls to check what really arrived.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/platform/config.js';
import { createLogger } from '../../../src/platform/logger.js';
import type { RunningService } from '../../../src/platform/service.js';
import { startFakePushProviders, type FakePushProviders } from '../../../src/fakes/push-providers.js';
import { startPushServer } from '../../../src/push-server/main.js';
import { startQueueService } from '../../../src/queue-service/main.js';
import { ensureDemo, type DemoInfo } from '../../../src/demo/seed.js';
import { publishDemoPages } from '../../../src/demo/pages-config.js';
import { startWebPushWindow, type WebPushWindow } from '../../../src/demo/webpush-window.js';
import { buildPages } from '../../../web/build.js';

export const ADMIN_TOKEN = 'test-admin-token-web-0123456789';

export interface DemoStack {
  queueUrl: string;
  pushUrl: string;
  info: DemoInfo;
  fakes: FakePushProviders;
  window: WebPushWindow;
  admin<T = any>(method: string, path: string, body?: unknown): Promise<T>;
  close(): Promise<void>;
}

export async function startDemoStack(): Promise<DemoStack> {
  await buildPages({ ifStale: true, quiet: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'queuebell-web-'));
  const config = {
    ...loadConfig({ QUEUEBELL_DATA_DIR: dataDir, QUEUEBELL_QUEUE_PORT: '0', QUEUEBELL_PUSH_PORT: '0' }),
    adminToken: ADMIN_TOKEN,
    masterKey: 'test-master-key-web-0123456789abcdef0123',
    demo: true,
    allowPrivateWebhooks: true,
  };
  const logger = createLogger('web-test', 'silent');
  let window: WebPushWindow | null = null;
  const fakes = await startFakePushProviders({ webpush: { onDelivery: (delivery) => window?.record(delivery) } });
  window = await startWebPushWindow(fakes.webpush);
  const services: RunningService[] = [];
  const push = await startPushServer({ config, role: 'all', logger });
  services.push(push);
  const queue = await startQueueService({ config, role: 'all', logger });
  services.push(queue);
  const info = await ensureDemo({ queueUrl: queue.url!, pushUrl: push.url!, adminToken: ADMIN_TOKEN, dataDir, fakes });
  await publishDemoPages({ queueUrl: queue.url!, adminToken: ADMIN_TOKEN, pushUrl: push.url!, webPushWindowUrl: window.url }, info);
  const openWindow = window;
  return {
    queueUrl: queue.url!,
    pushUrl: push.url!,
    info,
    fakes,
    window: openWindow,
    async admin(method, path, body) {
      const response = await fetch(queue.url + path, {
        method,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
      return text ? JSON.parse(text) : undefined;
    },
    async close() {
      for (const service of services.reverse()) await service.close();
      await openWindow.close();
      await fakes.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
