/**
 * Web Push throughput (reported, no target): every push is encrypted for its own
 * subscription (ECDH + AES-GCM per message) and sent with VAPID over keep-alive HTTP/1.1 to the
 * fake push service, which verifies and decrypts every tenth push (WEBPUSH_VERIFY_EVERY) so its
 * own decryption does not dominate the two shared cores. Ceiling: one pre-encrypted body in a loop.
 */
import webpush from 'web-push';
import { round } from '../lib/stats.js';
import type { BenchRow, Scenario } from '../lib/types.js';
import { recordedJobs, startFakes, startLoop, startPushServer, waitForDeliveries, type BenchApp, type Counts } from './push-support.js';

export const pushWebPushScenario: Scenario = {
  name: 'push-webpush',
  description: 'Web Push pushes/s (aes128gcm per message, VAPID) to the fake push service, vs a bare HTTP/1.1 loop',
  async run(ctx) {
    const total = Math.max(2000, Math.round(10_000 * ctx.scale));
    const fakes = await startFakes({ WEBPUSH_VERIFY_EVERY: '10' });
    const vapid = webpush.generateVAPIDKeys();
    try {
      const subscriptions = await fakes.request<webpush.PushSubscription[]>({
        type: 'subscriptions',
        count: 500,
        applicationServerKey: vapid.publicKey,
      });
      ctx.progress(`ceiling: bare HTTP/1.1 loop, ${total} requests, 64 sockets`);
      const loop = await startLoop('webpush');
      const ceiling = await loop.request<{ rps: number }>({
        type: 'run',
        count: total,
        concurrency: 64,
        target: { subscription: subscriptions[0], vapid },
      });
      await loop.stop();

      const server = await startPushServer();
      try {
        const app = await server.request<BenchApp>({
          type: 'setup',
          provider: 'webpush',
          count: subscriptions.length,
          apns: fakes.info.apns,
          vapid,
          subscriptions,
        });
        await server.request({ type: 'seed', appId: app.appId, sourceId: app.sourceId, pushIds: app.pushIds, count: total });
        const before = (await fakes.request<Counts>({ type: 'stats' })).webpush;
        ctx.progress(`worker on: ${total} Web Push pushes`);
        const started = performance.now();
        await server.request({ type: 'startWorker' });
        const finished = await waitForDeliveries(fakes, 'webpush', before + total, 120_000);
        const rate = total / ((finished - started) / 1000);
        const jobs = await recordedJobs(server, total);
        return [
          {
            scenario: 'push-webpush',
            metric: 'Web Push pushes encrypted, sent, recorded',
            value: round(rate),
            unit: 'push/s',
            ceiling: round(ceiling.rps),
            ratio: rate / ceiling.rps,
            target: 'reported',
          },
          {
            scenario: 'push-webpush',
            metric: 'jobs recorded delivered',
            value: jobs.delivered ?? 0,
            unit: `of ${total}`,
            target: `= ${total}`,
            pass: jobs.delivered === total,
          },
        ] satisfies BenchRow[];
      } finally {
        await server.stop();
      }
    } finally {
      await fakes.stop();
    }
  },
};
