/**
 * Push latency: signed messages at a steady 1,000/s (one every millisecond, open loop) into a
 * push server running API and worker together (role all); each message's time from the moment it
 * is posted to the moment the fake APNs receives the push. A bare Fastify route under the same
 * load is measured first as the floor of what this machine allows. Two seconds of the same load
 * warm the server up first (TLS session to the fake, JIT, statement caches) and are not counted.
 */
import { startChild } from '../lib/child.js';
import { percentile, round } from '../lib/stats.js';
import { atMost, type BenchRow, type Scenario } from '../lib/types.js';
import { messageBody, signedMessage, startFakes, startPushServer, steadyLoad, type BenchApp } from './push-support.js';

const RATE = 1000;

export const pushLatencyScenario: Scenario = {
  name: 'push-latency',
  description: 'ingest → fake APNs latency at a steady 1,000 messages/s (role all, SQLite)',
  async run(ctx) {
    const seconds = Math.max(3, Math.round(10 * ctx.scale));
    ctx.progress(`floor: bare Fastify route at a steady ${RATE}/s`);
    const bare = await startChild<{ url: string }>(new URL('../servers/bare-route.ts', import.meta.url));
    const body = messageBody('pid_x', 'tkt_x', 1);
    const floor = await steadyLoad({
      url: bare.info.url,
      rate: RATE,
      seconds,
      request: () => ({ path: '/echo', headers: { 'content-type': 'application/json' }, body }),
    });
    await bare.stop();

    const fakes = await startFakes();
    const server = await startPushServer({ PUSH_BENCH_WORKER: 'now' });
    try {
      const app = await server.request<BenchApp>({ type: 'setup', provider: 'apns', count: 500, apns: fakes.info.apns });
      ctx.progress('warm-up: 2 s at the same rate, not measured (TLS session, JIT, prepared statements)');
      await steadyLoad({ url: server.info.url, rate: RATE, seconds: 2, request: (i) => signedMessage(app, 1_000_000 + i) });
      await fakes.request({ type: 'track', on: true });
      await server.request({ type: 'loopDelay', reset: true });
      const sentAt = new Map<string, number>();
      ctx.progress(`signed messages at a steady ${RATE}/s for ${seconds} s, API and worker in one process`);
      const ticketOf: string[] = [];
      const load = await steadyLoad({
        url: server.info.url,
        rate: RATE,
        seconds,
        request: (i) => {
          const message = signedMessage(app, i);
          ticketOf[i] = message.ticketId;
          return message;
        },
        onSent: (i, at) => sentAt.set(ticketOf[i]!, at),
      });
      const stalls = await server.request<{ p50: number; p99: number; max: number }>({ type: 'loopDelay' });
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const arrivals = new Map(await fakes.request<[string, number][]>({ type: 'arrivals' }));
      const latencies = [...sentAt]
        .flatMap(([ticketId, sent]) => (arrivals.has(ticketId) ? [arrivals.get(ticketId)! - sent] : []))
        .sort((a, b) => a - b);
      const p99 = round(percentile(latencies, 99));
      return [
        {
          scenario: 'push-latency',
          metric: 'ingest → fake APNs p99 at 1,000/s',
          value: p99,
          unit: `ms (p50 ${round(percentile(latencies, 50))} ms, max ${round(latencies.at(-1) ?? NaN)} ms)`,
          ceiling: round(percentile(floor.latencies, 99)),
          ...atMost(p99, 25),
        },
        {
          scenario: 'push-latency',
          metric: 'pushes arrived',
          value: latencies.length,
          unit: `of ${load.sent - load.failed} acknowledged (${round(load.rps)} msg/s sent)`,
          target: '= acknowledged',
          pass: latencies.length === load.sent - load.failed,
        },
        { scenario: 'push-latency', metric: 'push server event-loop delay p99', value: stalls.p99, unit: `ms (max ${stalls.max} ms)` },
        {
          scenario: 'push-latency',
          metric: 'ingest HTTP p99 at 1,000/s',
          value: round(percentile(load.latencies, 99)),
          unit: `ms (p50 ${round(percentile(load.latencies, 50))} ms; bare route p99 ${round(percentile(floor.latencies, 99))} ms)`,
        },
      ] satisfies BenchRow[];
    } finally {
      await server.stop();
      await fakes.stop();
    }
  },
};
