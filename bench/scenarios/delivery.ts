/**
 * The delivery benchmark, every process on 127.0.0.1:
 * - delivery-throughput: one dispatcher process works through a backlog of 100,000 pending webhook
 *   messages (signed, POSTed on keep-alive connections, every attempt recorded) to a receiver
 *   process; the ceiling is a bare keep-alive POST loop with the same concurrency and body, in the
 *   same run. Memory is sampled with the backlog in place and while it drains.
 * - delivery-latency: the queue service with API and dispatcher in one process (role all) takes
 *   bookings at a steady 1,000/s; each message's time from the commit of its booking's transaction
 *   (noted by the service) to its arrival at the receiver.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChild, type ChildServer } from '../lib/child.js';
import { percentile, round } from '../lib/stats.js';
import { steadyLoad } from '../lib/steady.js';
import { steadyBooking } from '../servers/bench-company.js';
import { atLeast, atMost, type BenchRow, type Scenario } from '../lib/types.js';

type Receiver = ChildServer<{ url: string }>;
interface ReceiverStats {
  count: number;
  arrivals: [string, number][];
}
interface DeliverRun {
  seconds: number;
  rate: number;
  cpuMicrosPerMessage: number;
  delivered: number;
  notDelivered: number;
  rssAtStartMB: number;
  rssPeakMB: number;
  heapPeakMB: number;
}

/** What the dispatcher allows in flight towards one destination (CLAIM.maxInFlightPerRoute): the ceiling loop uses the same. */
const CONCURRENCY = 64;

async function startReceiver(latency: boolean): Promise<Receiver> {
  const receiver = await startChild<{ url: string }>(new URL('../servers/delivery-receiver.ts', import.meta.url));
  await receiver.request({ type: 'reset', latency });
  return receiver;
}

const throughput: Scenario = {
  name: 'delivery-throughput',
  description: 'one dispatcher process drains 100,000 pending signed webhooks to a loopback receiver, vs a bare keep-alive POST loop',
  async run(ctx) {
    const count = Math.max(10_000, Math.round(100_000 * ctx.scale));
    const seconds = Math.max(3, Math.round(8 * ctx.scale));
    const receiver = await startReceiver(false);
    const dir = mkdtempSync(join(tmpdir(), 'queuebell-delivery-bench-'));
    const env = { DELIVERY_DATABASE_URL: join(dir, 'queue-service.sqlite') };
    const filler = await startChild<Record<string, never>>(new URL('../servers/delivery-dispatcher.ts', import.meta.url), env, [], {
      label: 'outbox filler',
    });
    const loop = await startChild<Record<string, never>>(new URL('../servers/delivery-loop.ts', import.meta.url));
    let dispatcher: ChildServer<Record<string, never>> | null = null;
    try {
      ctx.progress(`filling the outbox with ${count.toLocaleString('en')} pending messages (SQLite)`);
      const prepared = await filler.request<{ inserted: number; bodyBytes: number }>({
        type: 'prepare',
        receiverUrl: receiver.info.url,
        count,
      });
      await filler.stop();

      ctx.progress(`ceiling: bare keep-alive POST loop, ${CONCURRENCY} in flight, ${prepared.bodyBytes}-byte body, ${seconds} s`);
      const body = 'x'.repeat(prepared.bodyBytes);
      const ceiling = await loop.request<{ requests: number; rps: number }>({
        type: 'run',
        url: receiver.info.url,
        seconds,
        concurrency: CONCURRENCY,
        body,
      });

      ctx.progress('dispatcher, in a fresh process: claim → sign → POST → record until the outbox is empty');
      await receiver.request({ type: 'reset', latency: false });
      dispatcher = await startChild<Record<string, never>>(new URL('../servers/delivery-dispatcher.ts', import.meta.url), env, [], {
        label: 'dispatcher',
      });
      const run = await dispatcher.request<DeliverRun>({ type: 'deliver', count });
      const received = await receiver.request<ReceiverStats>({ type: 'stats' });
      const ratio = run.rate / ceiling.rps;
      return [
        {
          scenario: 'delivery-throughput',
          metric: 'bare keep-alive POST loop',
          value: round(ceiling.rps),
          unit: `req/s (${CONCURRENCY} in flight)`,
        },
        {
          scenario: 'delivery-throughput',
          metric: 'deliveries from one process',
          value: round(run.rate),
          unit: `msg/s (${run.delivered} in ${round(run.seconds)} s, ${round(run.cpuMicrosPerMessage)} µs CPU each)`,
          ceiling: round(ceiling.rps),
          ratio,
          ...atLeast(Math.round(run.rate), 5000),
        },
        {
          scenario: 'delivery-throughput',
          metric: 'deliveries vs bare loop',
          value: round(ratio * 100),
          unit: '%',
          ...atLeast(round(ratio * 100), 50),
        },
        {
          scenario: 'delivery-throughput',
          metric: 'every message arrived once',
          value: received.count,
          unit: `received of ${count} (${run.notDelivered} not delivered)`,
          target: `= ${count}`,
          pass: received.count === count && run.delivered === count,
        },
        {
          scenario: 'delivery-throughput',
          metric: `RSS with ${count.toLocaleString('en')} pending`,
          value: run.rssAtStartMB,
          unit: 'MB (dispatcher process started, backlog in the database)',
        },
        {
          scenario: 'delivery-throughput',
          metric: 'RSS peak while draining',
          value: run.rssPeakMB,
          unit: `MB (heap used peak ${run.heapPeakMB} MB)`,
        },
      ] satisfies BenchRow[];
    } finally {
      await Promise.all([loop.stop(), filler.stop(), dispatcher?.stop(), receiver.stop()]);
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

const RATE = Number(process.env.DELIVERY_RATE ?? 1000);

const latency: Scenario = {
  name: 'delivery-latency',
  description: 'committed ticket change → webhook receiver at a steady 1,000 bookings/s (role all, SQLite)',
  async run(ctx) {
    const seconds = Math.max(3, Math.round(10 * ctx.scale));
    const receiver = await startReceiver(true);
    const service = await startChild<{ url: string; key: string; queueId: string; tokens: string[] }>(
      new URL('../servers/delivery-service.ts', import.meta.url),
      { DELIVERY_RECEIVER_URL: receiver.info.url },
    );
    try {
      await receiver.request({ type: 'reset', latency: true });
      await service.request({ type: 'reset' });
      const { url } = service.info;
      ctx.progress(`bookings at a steady ${RATE}/s for ${seconds} s, each delivered as a signed webhook`);
      // Evenly spaced, open loop (steady.ts), not a burst at the start of each second.
      const load = await steadyLoad({
        url,
        rate: RATE,
        seconds,
        request: (i) => steadyBooking(service.info, i, `push-${i}`),
      });
      const bookingP99 = round(percentile(load.latencies, 99));
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const { count, arrivals } = await receiver.request<ReceiverStats>({ type: 'stats' });
      const arrived = new Map(arrivals);
      const { commits, loopDelayP99, loopDelayMax } = await service.request<{
        commits: [string, number][];
        loopDelayP99: number;
        loopDelayMax: number;
      }>({ type: 'commits' });
      const sorted = commits
        .flatMap(([ticketId, at]) => (arrived.has(ticketId) ? [arrived.get(ticketId)! - at] : []))
        .sort((a, b) => a - b);
      const p99 = round(percentile(sorted, 99));
      return [
        {
          scenario: 'delivery-latency',
          metric: 'commit → receiver p99 at 1,000/s',
          value: p99,
          unit: `ms (p50 ${round(percentile(sorted, 50))} ms, max ${round(sorted.at(-1) ?? NaN)} ms)`,
          ...atMost(p99, 25),
        },
        {
          scenario: 'delivery-latency',
          metric: 'messages arrived',
          value: count,
          unit: `of ${commits.length} committed bookings (${round(load.rps)} offered/s, ${load.failed} failed)`,
          target: '= committed',
          pass: count === commits.length && sorted.length === commits.length,
        },
        {
          scenario: 'delivery-latency',
          metric: 'booking HTTP p99 at 1,000/s',
          value: bookingP99,
          unit: `ms (p50 ${round(percentile(load.latencies, 50))} ms)`,
        },
        {
          scenario: 'delivery-latency',
          metric: 'service event-loop delay p99',
          value: round(loopDelayP99),
          unit: `ms (max ${round(loopDelayMax)} ms; API, dispatcher and SQLite share it)`,
        },
      ] satisfies BenchRow[];
    } finally {
      await Promise.all([service.stop(), receiver.stop()]);
    }
  },
};

export const deliveryScenarios: Scenario[] = [throughput, latency];
