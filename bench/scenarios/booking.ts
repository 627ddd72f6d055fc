/**
 * The booking benchmark: bookings (with pushId and sendClientPush, so each writes an outbox row) and
 * call-next on the embedded database at 64 connections (bookings twice: just after start, while V8
 * compiles the path, and then the measured run), against a bare Fastify route measured in
 * the same run; then p99 of bookings at a steady 1,000/s, evenly spaced (open loop).
 */
import { measureBareRoute } from '../lib/bare-route.js';
import { startChild } from '../lib/child.js';
import { runLoad, runLoadOn } from '../lib/load.js';
import { percentile, round } from '../lib/stats.js';
import { steadyLoad } from '../lib/steady.js';
import { steadyBooking } from '../servers/bench-company.js';
import { atLeast, atMost, type BenchRow, type Scenario } from '../lib/types.js';

/** What a queue-service bench server with an open counter reports when ready. */
/** The counter keeps what it called before (docs/design.md §Moving tickets): a bench calls without serving. */
const KEEP_CALLED = JSON.stringify({ previousTicket: 'keep' });

export interface QueueServiceInfo {
  url: string;
  key: string;
  queueId: string;
  endpointId: string;
  tokens: string[];
}

const CONNECTIONS = 64;

export const bookingScenario: Scenario = {
  name: 'booking',
  description: 'bookings and call-next on SQLite, 64 connections, vs a bare Fastify route',
  async run(ctx) {
    const seconds = Math.max(3, Math.round(10 * ctx.scale));
    const rows: BenchRow[] = [];

    const [ceiling] = await measureBareRoute(ctx, seconds, {
      progress: 'ceiling: bare Fastify route (POST, small JSON body)',
      connections: CONNECTIONS,
      loads: [{ method: 'POST', body: '{"pushId":"p","sendClientPush":true}' }],
    });
    const bareCpuPerRequest = ceiling.cpuPerRequest;
    rows.push({ scenario: 'booking', metric: 'bare route throughput', value: round(ceiling.rps), unit: 'req/s' });

    const server = await startChild<QueueServiceInfo>(new URL('../servers/queue-service.ts', import.meta.url));
    try {
      const { url, key, queueId, endpointId, tokens } = server.info;
      let next = 0;
      const bookingRequest = () => ({
        method: 'POST',
        path: `/v2/queues/${queueId}/ticket`,
        headers: { 'content-type': 'application/json', 'x-api-key': key, authorization: `Bearer ${tokens[next++ % tokens.length]}` },
        body: JSON.stringify({ pushId: `push-${next}`, sendClientPush: true, groupSize: 1 + (next % 3) }),
      });

      // The first seconds after start pay for V8 compiling the booking path: measured, and reported
      // apart from the steady cost per booking that the ratio to the bare route is about.
      const measureBookings = async () => {
        const result = await runLoadOn(server.process.pid!, {
          url,
          method: 'POST',
          connections: CONNECTIONS,
          durationSeconds: seconds,
          setupRequest: bookingRequest,
        });
        if (result.non2xx || result.errors) throw new Error(`bookings failed: ${result.non2xx} non-2xx, ${result.errors} errors`);
        return result;
      };
      ctx.progress(`bookings at ${CONNECTIONS} connections for ${seconds} s, just after start`);
      const cold = await measureBookings();
      ctx.progress(`bookings at ${CONNECTIONS} connections for ${seconds} s`);
      const booking = await measureBookings();
      const cpuPerBooking = booking.cpuPerRequest;
      const cpuRatio = cpuPerBooking / bareCpuPerRequest;
      rows.push(
        {
          // The service process's CPU (every thread, user and system) per booking, beside the bare route's per request.
          scenario: 'booking',
          metric: 'CPU per booking at 64 conn',
          value: round(cpuPerBooking),
          unit: `µs (bare route ${round(bareCpuPerRequest)} µs per request; ${round(cold.cpuPerRequest)} µs in the first ${seconds} s after start)`,
          ceiling: round(bareCpuPerRequest),
          ratio: cpuRatio,
        },
        {
          // The baseline was 240 µs against 18 µs (13.3×); a third less is 8.9×.
          scenario: 'booking',
          metric: 'CPU per booking / bare route',
          value: round(cpuRatio),
          unit: "× the bare route's CPU per request",
          ...atMost(round(cpuRatio), 8.9),
        },
        {
          scenario: 'booking',
          metric: 'bookings throughput',
          value: round(booking.rps),
          unit: 'req/s',
          ceiling: round(ceiling.rps),
          ratio: booking.rps / ceiling.rps,
          ...atLeast(Math.round(booking.rps), 5000),
        },
        {
          scenario: 'booking',
          metric: 'bookings vs bare route',
          value: round((booking.rps / ceiling.rps) * 100),
          unit: '%',
          ...atLeast(round((booking.rps / ceiling.rps) * 100), 35),
        },
        { scenario: 'booking', metric: 'bookings p50 / p99 at 64 conn', value: booking.p50, unit: `ms (p99 ${booking.p99} ms)` },
      );

      ctx.progress(`call-next at ${CONNECTIONS} connections for ${seconds} s`);
      const callNext = await runLoad({
        url: `${url}/v2/endpoints/${endpointId}/next`,
        method: 'POST',
        headers: { 'x-api-key': key },
        body: KEEP_CALLED,
        connections: CONNECTIONS,
        durationSeconds: seconds,
      });
      rows.push(
        {
          scenario: 'booking',
          metric: 'call-next throughput',
          value: round(callNext.rps),
          unit: 'req/s',
          ceiling: round(ceiling.rps),
          ratio: callNext.rps / ceiling.rps,
        },
        {
          scenario: 'booking',
          metric: 'call-next p50 / p99',
          value: callNext.p50,
          unit: `ms (p99 ${callNext.p99} ms, ${callNext.non2xx} empty-line 404s)`,
        },
      );

      ctx.progress(`bookings at a steady 1,000/s for ${seconds} s (open loop, even spacing)`);
      const steady = await steadyLoad({
        url,
        rate: 1000,
        seconds,
        request: (i) => steadyBooking({ key, queueId, tokens }, i, `steady-${i}`),
      });
      if (steady.failed) throw new Error(`${steady.failed} steady bookings failed`);
      const p99 = round(percentile(steady.latencies, 99));
      rows.push({
        scenario: 'booking',
        metric: 'bookings p99 at 1,000/s',
        value: p99,
        unit: `ms (p50 ${round(percentile(steady.latencies, 50))} ms, ${round(steady.rps)} req/s)`,
        ...atMost(p99, 10),
      });
    } finally {
      await server.stop();
    }
    return rows;
  },
};
