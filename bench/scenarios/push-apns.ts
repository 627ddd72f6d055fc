/**
 * APNs throughput: jobs seeded in the database, then one push-server process claims,
 * renders and sends them over HTTP/2 to the fake APNs (TLS, provider token checked) and records
 * every result. The ceiling is a bare HTTP/2 request loop to the same fake, same concurrency.
 */
import { round } from '../lib/stats.js';
import { atLeast, type BenchRow, type Scenario } from '../lib/types.js';
import { recordedJobs, startFakes, startLoop, startPushServer, waitForDeliveries, type BenchApp, type Counts } from './push-support.js';

const PUSH_SERVER_NODE_OPTIONS = (process.env.BENCH_PUSH_NODE_OPTIONS ?? '--max-semi-space-size=2 --max-old-space-size=96 --v8-pool-size=1')
  .split(' ')
  .filter(Boolean);

export const pushApnsScenario: Scenario = {
  name: 'push-apns',
  description: 'APNs pushes/s from one process over HTTP/2 to the fake APNs, vs a bare HTTP/2 loop',
  async run(ctx) {
    const total = Math.max(5000, Math.round(40_000 * ctx.scale));
    const fakes = await startFakes();
    const rows: BenchRow[] = [];
    try {
      ctx.progress(`ceiling: bare HTTP/2 loop, ${total} requests, 1000 streams in flight`);
      const loop = await startLoop('apns');
      const ceiling = await loop.request<{ rps: number }>({ type: 'run', count: total, concurrency: 1000, target: fakes.info.apns });
      await loop.stop();

      // Compiled, with plain node, as the installed package runs, and with the V8 bounds
      // docs/operations.md suggests for a push server; the memory targets of 40,000 jobs, 1,000 streams in flight.
      ctx.progress('push server: starting, then 20 s without work for its idle RSS');
      const server = await startPushServer(
        {},
        { compiled: true, nodeOptions: PUSH_SERVER_NODE_OPTIONS, memoryTargets: { peakMB: 150, idleMB: 80 }, settleMs: 20_000 },
      );
      try {
        const app = await server.request<BenchApp>({ type: 'setup', provider: 'apns', count: 2000, apns: fakes.info.apns });
        ctx.progress(`seeding ${total} push jobs`);
        await server.request({ type: 'seed', appId: app.appId, sourceId: app.sourceId, pushIds: app.pushIds, count: total });
        const before = (await fakes.request<Counts>({ type: 'stats' })).apns;
        ctx.progress('worker on: claim → render → send → record');
        const started = performance.now();
        await server.request({ type: 'startWorker' });
        const finished = await waitForDeliveries(fakes, 'apns', before + total, 120_000);
        const rate = total / ((finished - started) / 1000);
        const jobs = await recordedJobs(server, total);
        rows.push(
          {
            scenario: 'push-apns',
            metric: 'APNs pushes sent and recorded',
            value: round(rate),
            unit: `push/s (push server: node ${PUSH_SERVER_NODE_OPTIONS.join(' ')})`,
            ceiling: round(ceiling.rps),
            ratio: rate / ceiling.rps,
            ...atLeast(Math.round(rate), 10_000),
          },
          {
            scenario: 'push-apns',
            metric: 'jobs recorded delivered',
            value: jobs.delivered ?? 0,
            unit: `of ${total}`,
            target: `= ${total}`,
            pass: jobs.delivered === total,
          },
        );
      } finally {
        await server.stop();
      }
    } finally {
      await fakes.stop();
    }
    return rows;
  },
};
