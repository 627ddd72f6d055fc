/**
 * What the checks at the HTTP edge cost (docs/security.md): bookings as real people make them —
 * every booking by a different user, with a phone number of its own, so each open-ticket count
 * (per user, per contact) is one index probe that finds nothing — into a queue with the fair-use
 * limits on (defaults for the counts, the address and key budgets counted) and into one with them
 * all off (null), in the same process, in alternating rounds (on/off, off/on, on/off), each round
 * on a fresh queue, a fixed number of bookings at 64 connections, one-use user tokens. Reported:
 * bookings/s and the service's CPU per booking, medians of the rounds, on against off (target: on
 * costs ≤ 5 %), beside a bare Fastify route measured in the same run.
 *
 * The storable-text check (NUL, lone surrogates) has no switch: its cost is timed in this process
 * on the very request a booking and an ingest carry (headers, params, body), against the CPU one
 * booking and one ingested message cost their service in the same run. Ingest has no rate limit
 * (its sender is authenticated by its signature); its only other edge check is the deliver-by
 * horizon, a comparison. The same scenario runs unchanged on the tree before the edge checks
 * (both arms then have no limits), for a before/after comparison.
 */
import { measureBareRoute } from '../lib/bare-route.js';
import { startChild } from '../lib/child.js';
import { runLoadOn } from '../lib/load.js';
import { round } from '../lib/stats.js';
import { atMost, type BenchRow, type Scenario } from '../lib/types.js';
import { messageBody, signedRequests, startFakes, startPushServer, type BenchApp } from './push-support.js';

const CONNECTIONS = 64;
const ROUNDS = 3;
const LIMITS_ON = {
  maxOpenTicketsPerUser: 1,
  maxOpenTicketsPerContact: 1,
  // One client address plays every person: its budget is counted but set never to refuse.
  bookingsPerAddressPerHour: 1_000_000,
  bookingsPerKeyPerHour: 1_000_000,
};
const LIMITS_OFF = {
  maxOpenTicketsPerUser: null,
  maxOpenTicketsPerContact: null,
  bookingsPerAddressPerHour: null,
  bookingsPerKeyPerHour: null,
};

type Arm = 'on' | 'off';
interface ArmRun {
  rps: number;
  cpuMicros: number;
  p99: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export const edgeChecksScenario: Scenario = {
  name: 'edge-checks',
  description:
    'bookings by distinct users with the fair-use limits on vs off (alternating rounds), and the storable-text check per request',
  async run(ctx) {
    const perRound = Math.max(2_000, Math.round(20_000 * ctx.scale));
    const seconds = Math.max(3, Math.round(10 * ctx.scale));
    const rows: BenchRow[] = [];

    const [ceiling] = await measureBareRoute(ctx, seconds, {
      progress: `ceiling: bare Fastify route (POST, small JSON body), ${seconds} s`,
      connections: CONNECTIONS,
      loads: [{ method: 'POST', body: '{"pushId":"p","sendClientPush":true,"userData":{"phone":"+33612345678"}}' }],
    });
    const bareCpu = ceiling.cpuPerRequest;
    rows.push({
      scenario: 'edge-checks',
      metric: 'bare route throughput',
      value: round(ceiling.rps),
      unit: `req/s (${round(bareCpu)} µs CPU each)`,
    });

    const server = await startChild<{ url: string; key: string }>(new URL('../servers/edge-checks-service.ts', import.meta.url));
    try {
      const { url, key } = server.info;
      const order: Arm[] = Array.from({ length: ROUNDS }, (_, r) => (r % 2 === 0 ? ['on', 'off'] : ['off', 'on']) as Arm[]).flat();
      const { queueIds, limitsApplied } = await server.request<{ queueIds: string[]; limitsApplied: boolean }>({
        type: 'queues',
        settings: order.map((arm) => (arm === 'on' ? LIMITS_ON : LIMITS_OFF)),
      });
      if (!limitsApplied) ctx.progress('this tree has no fair-use settings: both arms book without limits');
      ctx.progress(`creating ${perRound.toLocaleString('en')} users (each books once per queue)`);
      const tokens = await server.request<string[]>({ type: 'users', count: perRound });

      const runs: Record<Arm, ArmRun[]> = { on: [], off: [] };
      for (const [i, arm] of order.entries()) {
        ctx.progress(
          `round ${Math.floor(i / 2) + 1}, limits ${arm}: ${perRound.toLocaleString('en')} bookings at ${CONNECTIONS} connections`,
        );
        let next = 0;
        const load = await runLoadOn(server.process.pid!, {
          url,
          method: 'POST',
          connections: CONNECTIONS,
          durationSeconds: 600,
          amount: perRound,
          // A one-use token whose request timed out is spent: wait as long as a loaded machine needs.
          timeoutSeconds: 120,
          setupRequest: (request) => {
            const n = next++;
            return {
              ...request,
              method: 'POST',
              path: `/v2/queues/${queueIds[i]}/ticket`,
              headers: { 'content-type': 'application/json', 'x-api-key': key, authorization: `Bearer ${tokens[n % tokens.length]}` },
              body: JSON.stringify({
                pushId: `push-${i}-${n}`,
                sendClientPush: true,
                userData: { phone: `+336${String(10_000_000 + n).slice(-8)}` },
              }),
            };
          },
        });
        if (load.non2xx || load.errors) throw new Error(`limits ${arm}: ${load.non2xx} non-2xx, ${load.errors} errors`);
        runs[arm].push({ rps: load.rps, cpuMicros: load.cpuPerRequest, p99: load.p99 });
      }
      const on = {
        rps: median(runs.on.map((r) => r.rps)),
        cpu: median(runs.on.map((r) => r.cpuMicros)),
        p99: median(runs.on.map((r) => r.p99)),
      };
      const off = {
        rps: median(runs.off.map((r) => r.rps)),
        cpu: median(runs.off.map((r) => r.cpuMicros)),
        p99: median(runs.off.map((r) => r.p99)),
      };
      const list = (arm: Arm, pick: (r: ArmRun) => number) => runs[arm].map((r) => round(pick(r), 0)).join(', ');
      const throughputCost = (1 - on.rps / off.rps) * 100;
      const cpuCost = (on.cpu / off.cpu - 1) * 100;
      rows.push(
        {
          scenario: 'edge-checks',
          metric: 'bookings/s, limits off',
          value: round(off.rps),
          unit: `req/s, median of ${list('off', (r) => r.rps)} (p99 ${off.p99} ms)`,
          ceiling: round(ceiling.rps),
          ratio: off.rps / ceiling.rps,
        },
        {
          scenario: 'edge-checks',
          metric: `bookings/s, limits on${limitsApplied ? '' : ' (not in this tree)'}`,
          value: round(on.rps),
          unit: `req/s, median of ${list('on', (r) => r.rps)} (p99 ${on.p99} ms)`,
          ceiling: round(ceiling.rps),
          ratio: on.rps / ceiling.rps,
        },
        {
          scenario: 'edge-checks',
          metric: 'fair use: bookings/s lost',
          value: round(throughputCost),
          unit: `% (on against off, ${perRound.toLocaleString('en')} bookings a round, distinct users)`,
          ...atMost(round(throughputCost), 5),
        },
        {
          scenario: 'edge-checks',
          metric: 'CPU per booking, limits off / on',
          value: round(off.cpu),
          unit: `µs / ${round(on.cpu)} µs (off: ${list('off', (r) => r.cpuMicros)}; on: ${list('on', (r) => r.cpuMicros)})`,
          ceiling: round(bareCpu),
          ratio: off.cpu / bareCpu,
        },
        {
          scenario: 'edge-checks',
          metric: 'fair use: CPU per booking added',
          value: round(cpuCost),
          unit: '% (on against off)',
          ...atMost(round(cpuCost), 5),
        },
      );

      const check = await storableCheckMicros();
      if (check) {
        const bookingRequest = {
          params: { queueId: queueIds[0] },
          query: {},
          headers: { 'content-type': 'application/json', 'x-api-key': key, authorization: `Bearer ${tokens[0]}`, host: '127.0.0.1' },
          body: { pushId: 'push-0-0', sendClientPush: true, userData: { phone: '+33610000000' } },
        };
        const micros = check(bookingRequest);
        rows.push({
          scenario: 'edge-checks',
          metric: 'storable-text check per booking',
          value: round(micros, 3),
          unit: `µs (of ${round(off.cpu)} µs CPU per booking)`,
          ratio: micros / off.cpu,
          ...atMost(round((micros / off.cpu) * 100, 2), 5),
        });
        rows.push(...(await ingestRows(ctx, seconds, check)));
      } else {
        rows.push({ scenario: 'edge-checks', metric: 'storable-text check', value: 0, unit: 'not in this tree' });
      }
    } finally {
      await server.stop();
    }
    return rows;
  },
};

/** Ingest at 64 connections for the CPU one message costs the push server, beside the edge check's cost on the same request. */
async function ingestRows(
  ctx: { progress(message: string): void },
  seconds: number,
  check: (request: object) => number,
): Promise<BenchRow[]> {
  const fakes = await startFakes();
  const server = await startPushServer();
  try {
    const app = await server.request<BenchApp>({ type: 'setup', provider: 'apns', count: 1000, apns: fakes.info.apns });
    ctx.progress(`ingest: signed messages at ${CONNECTIONS} connections for ${seconds} s (worker off)`);
    const sign = signedRequests(app);
    const load = await runLoadOn(server.process.pid!, {
      url: server.info.url,
      method: 'POST',
      connections: CONNECTIONS,
      durationSeconds: seconds,
      setupRequest: sign,
    });
    const cpu = load.cpuPerRequest;
    const sample = sign({ headers: {} }) as { headers: Record<string, string>; body: string };
    const micros = check({
      params: { appId: app.appId },
      query: {},
      headers: { ...sample.headers, host: '127.0.0.1' },
      body: JSON.parse(messageBody(app.pushIds[0]!, 'tkt_x', 1)),
    });
    return [
      {
        scenario: 'edge-checks',
        metric: 'ingest: signed messages/s',
        value: round(load.rps),
        unit: `msg/s (${round(cpu)} µs CPU each, ${load.non2xx} non-2xx)`,
      },
      {
        scenario: 'edge-checks',
        metric: 'storable-text check per ingested message',
        value: round(micros, 3),
        unit: `µs (of ${round(cpu)} µs CPU per message)`,
        ratio: micros / cpu,
        ...atMost(round((micros / cpu) * 100, 2), 5),
      },
    ];
  } finally {
    await server.stop();
    await fakes.stop();
  }
}

/**
 * The storable-text check's own function, timed on a request's parts (µs per request, the median
 * of five runs of 20,000), or null in a tree that does not have it.
 */
async function storableCheckMicros(): Promise<((request: object) => number) | null> {
  const module = (await import('../../src/platform/http/storable-text.js').catch(() => null)) as {
    unstorableField(value: unknown, path: string): string | null;
  } | null;
  if (!module) return null;
  return (request) => {
    const parts = request as Record<string, unknown>;
    const once = () =>
      module.unstorableField(parts.params, 'params') ??
      module.unstorableField(parts.query, 'query') ??
      module.unstorableField(parts.headers, 'headers') ??
      module.unstorableField(parts.body, 'body');
    const samples: number[] = [];
    for (let run = 0; run < 5; run++) {
      const started = performance.now();
      for (let i = 0; i < 20_000; i++) if (once() !== null) throw new Error('the bench request has an unstorable field');
      samples.push(((performance.now() - started) * 1000) / 20_000);
    }
    return median(samples);
  };
}
