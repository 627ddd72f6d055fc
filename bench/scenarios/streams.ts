/**
 * The live-stream benchmark: 5,000 concurrent SSE ticket watchers on one queue-service
 * process (role api, SQLite); an operator calls the next ticket and every watcher whose ticket was
 * in the line must hear of it (its new position, or its own change) — p99 from the moment the call
 * is sent, target < 100 ms. Memory per idle stream from the server's memory (after a full GC)
 * before and after the streams opened. The ceiling is a bare node:http server writing one event
 * to the same number of streams, in the same run.
 */
import { startChild } from '../lib/child.js';
import { percentile, round } from '../lib/stats.js';
import { atMost, type BenchRow, type Scenario } from '../lib/types.js';
import { Watchers } from './streams-watchers.js';

interface ServiceInfo {
  url: string;
  key: string;
  queueId: string;
  endpointId: string;
  tickets: Array<{ id: string; token: string }>;
}
interface Memory {
  rss: number;
  heapUsed: number;
  external: number;
}

const CALLS = 20;
/** Fan-outs before the timed ones: the first ones pay for JIT compilation and first-use allocations. */
const WARM_UP = 2;
const OPEN_CONCURRENCY = 100;
const WAIT_MS = 10_000;
const KB = 1024;

export const streamsScenario: Scenario = {
  name: 'streams',
  description:
    '5,000 SSE ticket watchers on one process: an operator call reaches each of them (p99 < 100 ms), memory per idle stream, vs a bare SSE fan-out',
  async run(ctx) {
    const count = Math.max(500, Math.round(5000 * ctx.scale));
    const calls = Math.max(5, Math.round(CALLS * Math.min(1, ctx.scale * 2)));
    const rows: BenchRow[] = [];
    const bare = await ceiling(ctx, count, calls);
    rows.push(...bare.rows);

    ctx.progress(`queue service (role api, SQLite): booking ${count} tickets`);
    const service = await startChild<ServiceInfo>(new URL('../servers/streams-service.ts', import.meta.url), {}, [String(count)]);
    let watchers: Watchers | null = null;
    try {
      const { url, key, endpointId, tickets } = service.info;
      ctx.progress(`opening ${count} ticket streams`);
      const started = Date.now();
      watchers = new Watchers(
        tickets.map((ticket) => ({
          url: `${url}/v2/user/tickets/${ticket.id}/sse`,
          headers: { 'x-api-key': key, authorization: `Bearer ${ticket.token}` },
        })),
      );
      // Memory is compared between half and all of the streams: the first half also pays for
      // warming up (compiled code, caches, pools), which is not a cost of each stream.
      const half = Math.floor(count / 2);
      await watchers.openRange(0, half, OPEN_CONCURRENCY, (opened) => ctx.progress(`  ${opened} open`));
      const before = await service.request<Memory>({ type: 'memory' });
      await watchers.openRange(half, count, OPEN_CONCURRENCY, (opened) => ctx.progress(`  ${opened} open`));
      const openSeconds = (Date.now() - started) / 1000;
      const after = await service.request<Memory>({ type: 'memory' });

      ctx.progress(`${calls} operator calls, each timed until every watcher in the line heard of it`);
      const index = new Map(tickets.map((ticket, i) => [ticket.id, i]));
      const waiting = new Set(tickets.map((_, i) => i));
      const latencies: number[] = [];
      const perCallP99: number[] = [];
      let missing = 0;
      for (let call = 0; call < calls + WARM_UP; call++) {
        const armed = [...waiting];
        watchers.arm(armed);
        const response = await fetch(`${url}/v2/endpoints/${endpointId}/next`, {
          method: 'POST',
          headers: { 'x-api-key': key, 'content-type': 'application/json' },
          body: JSON.stringify({ previousTicket: 'keep' }),
        });
        if (!response.ok) throw new Error(`call-next: ${response.status} ${await response.text()}`);
        const called = (await response.json()) as { ticketId: string };
        const result = await watchers.collect(armed, WAIT_MS);
        waiting.delete(index.get(called.ticketId)!);
        missing += result.missing;
        if (call < WARM_UP) continue;
        latencies.push(...result.latencies);
        perCallP99.push(
          percentile(
            [...result.latencies].sort((a, b) => a - b),
            99,
          ),
        );
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      latencies.sort((a, b) => a - b);
      const p99 = round(percentile(latencies, 99));
      const perStream = (field: keyof Memory) => round((after[field] - before[field]) / (count - half) / KB, 1);
      rows.push(
        {
          scenario: 'streams',
          metric: `${count} streams opened`,
          value: round(openSeconds),
          unit: `s (${round(count / openSeconds)} streams/s, each with its snapshot)`,
        },
        {
          scenario: 'streams',
          metric: 'call → every watcher, p50',
          value: round(percentile(latencies, 50)),
          unit: `ms (${latencies.length} deliveries over ${calls} calls, after ${WARM_UP} warm-up calls)`,
          ceiling: bare.p50,
          ratio: percentile(latencies, 50) / bare.p50,
        },
        {
          scenario: 'streams',
          metric: 'call → every watcher, p99',
          value: p99,
          unit: `ms (max ${round(latencies[latencies.length - 1] ?? NaN)} ms; worst call's p99 ${round(Math.max(...perCallP99))} ms)`,
          ceiling: bare.p99,
          ratio: p99 / bare.p99,
          ...atMost(p99, 100),
        },
        {
          scenario: 'streams',
          metric: 'watchers that never heard',
          value: missing,
          unit: `of ${latencies.length + missing} (waited ${WAIT_MS / 1000} s each call)`,
          target: '= 0',
          pass: missing === 0,
        },
        {
          scenario: 'streams',
          metric: 'memory per idle stream (JS heap + buffers)',
          value: round(perStream('heapUsed') + perStream('external'), 1),
          unit: `KiB (from ${half} to ${count} streams, after a full GC)`,
          ceiling: bare.perStreamKiB,
          ratio: (perStream('heapUsed') + perStream('external')) / bare.perStreamKiB,
        },
        // RSS is not divided per stream: it lags what the collector frees and moved either way between runs.
        {
          scenario: 'streams',
          metric: `RSS with ${count} streams open`,
          value: round(after.rss / KB / KB),
          unit: 'MiB (whole process, after a full GC)',
        },
      );
    } finally {
      watchers?.close();
      await service.stop();
    }
    return rows;
  },
};

interface Ceiling {
  rows: BenchRow[];
  p50: number;
  p99: number;
  perStreamKiB: number;
}

/** The same fan-out from a bare SSE server: the floor under the numbers above. */
async function ceiling(ctx: Parameters<Scenario['run']>[0], count: number, calls: number): Promise<Ceiling> {
  ctx.progress(`ceiling: bare node:http SSE server, ${count} streams`);
  const bare = await startChild<{ url: string }>(new URL('../servers/bare-sse.ts', import.meta.url));
  let watchers: Watchers | null = null;
  try {
    watchers = new Watchers(Array.from({ length: count }, () => ({ url: `${bare.info.url}/sse`, headers: {} })));
    const half = Math.floor(count / 2);
    await watchers.openRange(0, half, OPEN_CONCURRENCY);
    const before = await bare.request<Memory>({ type: 'memory' });
    await watchers.openRange(half, count, OPEN_CONCURRENCY);
    const after = await bare.request<Memory>({ type: 'memory' });
    const all = Array.from({ length: count }, (_, i) => i);
    const latencies: number[] = [];
    for (let call = 0; call < calls + WARM_UP; call++) {
      watchers.arm(all);
      await fetch(`${bare.info.url}/fire`, { method: 'POST' });
      const { latencies: these } = await watchers.collect(all, WAIT_MS);
      if (call >= WARM_UP) latencies.push(...these);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    latencies.sort((a, b) => a - b);
    const p50 = round(percentile(latencies, 50));
    const p99 = round(percentile(latencies, 99));
    const perStreamKiB = round((after.heapUsed + after.external - before.heapUsed - before.external) / (count - half) / KB, 1);
    return {
      p50,
      p99,
      perStreamKiB,
      rows: [
        { scenario: 'streams', metric: 'ceiling: bare SSE fan-out, p99', value: p99, unit: `ms (p50 ${p50} ms, ${count} streams)` },
        {
          scenario: 'streams',
          metric: 'ceiling: memory per bare stream (JS heap + buffers)',
          value: perStreamKiB,
          unit: `KiB (RSS ${round(after.rss / KB / KB)} MiB with ${count} streams)`,
        },
      ],
    };
  } finally {
    watchers?.close();
    await bare.stop();
  }
}
