/**
 * What tracing costs (docs/design.md §Traces): bookings on SQLite at 64 connections with tracing
 * unconfigured and with spans exported over OTLP/HTTP to a local sink, in the same run, against the
 * bare Fastify route as the ceiling. Unconfigured, a booking's only tracing work is the null checks
 * on its path; their cost is measured directly, per booking, against the CPU a booking takes —
 * throughput alone cannot see a difference that small through the run-to-run noise.
 */
import { createServer } from 'node:http';
import { activeTraceparent, startSpan, tracing } from '../../src/platform/tracing/tracing.js';
import { measureBareRoute } from '../lib/bare-route.js';
import { startChild } from '../lib/child.js';
import { runLoadOn } from '../lib/load.js';
import { round } from '../lib/stats.js';
import { atLeast, atMost, type BenchRow, type Scenario } from '../lib/types.js';

interface QueueServiceInfo {
  url: string;
  key: string;
  queueId: string;
  tokens: string[];
}

const CONNECTIONS = 64;
/** More than a booking makes: request hooks, outbox, the group commit's bind, the webhook's span. */
const CHECKS_PER_BOOKING = 8;

/** A collector that takes every export and only counts it. */
async function startSink(): Promise<{ url: string; exports: () => number; close: () => Promise<void> }> {
  let exports = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      exports += 1;
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    exports: () => exports,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function bookings(env: Record<string, string>, seconds: number): Promise<{ rps: number; cpuPerBooking: number }> {
  const server = await startChild<QueueServiceInfo>(new URL('../servers/queue-service.ts', import.meta.url), env);
  try {
    const { url, key, queueId, tokens } = server.info;
    let next = 0;
    const result = await runLoadOn(server.process.pid!, {
      url,
      method: 'POST',
      connections: CONNECTIONS,
      durationSeconds: seconds,
      setupRequest: () => ({
        method: 'POST',
        path: `/v2/queues/${queueId}/ticket`,
        headers: { 'content-type': 'application/json', 'x-api-key': key, authorization: `Bearer ${tokens[next++ % tokens.length]}` },
        body: JSON.stringify({ pushId: `push-${next}`, sendClientPush: true }),
      }),
    });
    if (result.non2xx || result.errors) throw new Error(`bookings failed: ${result.non2xx} non-2xx, ${result.errors} errors`);
    return { rps: result.rps, cpuPerBooking: result.cpuPerRequest };
  } finally {
    await server.stop();
  }
}

/** CPU nanoseconds per untraced check, in this process where tracing never started (CPU time: other processes do not count). */
function untracedCheckNs(): number {
  const rounds = 5_000_000;
  let kept = 0;
  const started = process.cpuUsage();
  for (let i = 0; i < rounds; i++) {
    if (tracing('queue-service')) kept++;
    if (activeTraceparent() !== null) kept++;
    if (startSpan({ service: 'queue-service', name: 'x', kind: 'internal' }).traceparent !== null) kept++;
  }
  const used = process.cpuUsage(started);
  const ns = ((used.user + used.system) * 1000) / (rounds * 3);
  if (kept !== 0) throw new Error('tracing is on in the bench process');
  return ns;
}

export const tracesScenario: Scenario = {
  name: 'traces',
  description: 'bookings with tracing unconfigured vs exporting over OTLP/HTTP to a local sink, vs a bare Fastify route',
  async run(ctx) {
    const seconds = Math.max(3, Math.round(10 * ctx.scale));
    const rows: BenchRow[] = [];

    const [ceiling] = await measureBareRoute(ctx, seconds, {
      progress: 'ceiling: bare Fastify route',
      connections: CONNECTIONS,
      loads: [{ method: 'POST', body: '{"pushId":"p","sendClientPush":true}' }],
    });
    rows.push({ scenario: 'traces', metric: 'bare route throughput', value: round(ceiling.rps), unit: 'req/s' });

    ctx.progress(`bookings, tracing unconfigured, ${seconds} s`);
    const off = await bookings({}, seconds);
    ctx.progress(`bookings, tracing to a local OTLP sink, ${seconds} s`);
    const sink = await startSink();
    const on = await bookings({ OTEL_EXPORTER_OTLP_ENDPOINT: sink.url, OTEL_SERVICE_NAME: 'bench' }, seconds);
    const exports = sink.exports();
    await sink.close();
    if (exports === 0) throw new Error('tracing on exported nothing');

    const checkNs = untracedCheckNs();
    const offCostShare = (checkNs * CHECKS_PER_BOOKING) / 1000 / off.cpuPerBooking;
    rows.push(
      {
        scenario: 'traces',
        metric: 'bookings, tracing off',
        value: round(off.rps),
        unit: `req/s (${round(off.cpuPerBooking)} µs CPU each)`,
        ceiling: round(ceiling.rps),
        ratio: off.rps / ceiling.rps,
      },
      {
        scenario: 'traces',
        metric: 'bookings, tracing on (OTLP sink)',
        value: round(on.rps),
        unit: `req/s (${round(on.cpuPerBooking)} µs CPU each, ${exports} exports; ratio vs tracing off)`,
        ceiling: round(off.rps),
        ratio: on.rps / off.rps,
        ...atLeast(round((on.rps / off.rps) * 100), 70),
      },
      {
        // The untraced path's whole tracing work per booking, as a share of what a booking costs.
        scenario: 'traces',
        metric: 'tracing off: its checks per booking',
        value: round(offCostShare * 100, 4),
        unit: `% of a booking's CPU (${round(checkNs, 2)} ns per check × ${CHECKS_PER_BOOKING})`,
        ...atMost(round(offCostShare * 100, 4), 0.1),
      },
    );
    return rows;
  },
};
