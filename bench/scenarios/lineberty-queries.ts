/**
 * The read routes Lineberty's clients call besides booking (docs/lineberty.md): the queue list,
 * the queues' state and eligibility, availabilities in the 2.0.0 form and in the 1.x form, and the
 * operator's roles — each at 64 connections for a few seconds against one queue-service process
 * (SQLite), beside a bare Fastify route under the same load in the same run (GET for the GETs,
 * POST with a body of the same size for the POSTs): throughput, p99, and the ratio to the bare route.
 */
import { measureBareRoute } from '../lib/bare-route.js';
import { startChild } from '../lib/child.js';
import { runLoad } from '../lib/load.js';
import { round } from '../lib/stats.js';
import type { BenchRow, Scenario } from '../lib/types.js';

interface QueriesInfo {
  url: string;
  key: string;
  queueIds: string[];
  appointmentTypeId: string;
  operatorToken: string;
  userId: string;
}

interface Query {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

const CONNECTIONS = 64;
const DAY = 86_400_000;

function queries(info: QueriesInfo): Query[] {
  const key = { 'x-api-key': info.key };
  const [queueId] = info.queueIds;
  const tomorrow = new Date(Date.now() + DAY).toISOString().slice(0, 10);
  const type = info.appointmentTypeId;
  return [
    { name: 'GET /v2/queues', method: 'GET', path: '/v2/queues', headers: key },
    {
      name: 'POST /v2/queues/state (3 queues)',
      method: 'POST',
      path: '/v2/queues/state',
      headers: key,
      body: JSON.stringify({ queuesId: info.queueIds }),
    },
    {
      name: 'POST /v2/queues/eligibility (3 queues, userId)',
      method: 'POST',
      path: '/v2/queues/eligibility',
      headers: key,
      body: JSON.stringify({ queuesId: info.queueIds, userId: info.userId }),
    },
    {
      name: 'GET availabilities (2.0.0: a day, type, groupSize)',
      method: 'GET',
      path: `/v2/queues/${queueId}/availabilities?date=${tomorrow}&groupSize=1&appointmentTypeId=${type}`,
      headers: key,
    },
    {
      name: 'GET availabilities (1.x: …/groupSize/1/availabilities)',
      method: 'GET',
      path: `/v2/queues/${queueId}/appointmentTypes/${type}/groupSize/1/availabilities`,
      headers: key,
    },
    {
      name: 'GET /v2/operator/roles',
      method: 'GET',
      path: '/v2/operator/roles',
      headers: { authorization: `Bearer ${info.operatorToken}` },
    },
  ];
}

export const linebertyQueriesScenario: Scenario = {
  name: 'lineberty-queries',
  description:
    "Lineberty's queue list, state, eligibility, availabilities (2.0.0 and 1.x) and operator roles at 64 connections, vs a bare route",
  async run(ctx) {
    const seconds = Math.max(3, Math.round(8 * ctx.scale));
    const rows: BenchRow[] = [];
    const server = await startChild<QueriesInfo>(new URL('../servers/queries-service.ts', import.meta.url));
    const list = queries(server.info);
    try {
      // Every query answers 200 before it is timed: a refusal would be measured as a fast route.
      for (const query of list) {
        const response = await fetch(server.info.url + query.path, {
          method: query.method,
          headers: { ...query.headers, ...(query.body ? { 'content-type': 'application/json' } : {}) },
          body: query.body,
        });
        if (response.status !== 200) throw new Error(`${query.name}: ${response.status} ${await response.text()}`);
      }
    } catch (error) {
      await server.stop();
      throw error;
    }

    const [bareGet, barePost] = await measureBareRoute(ctx, seconds, {
      progress: `ceiling: bare Fastify route, GET and POST, ${seconds} s each`,
      connections: CONNECTIONS,
      loads: [{ method: 'GET' }, { method: 'POST', body: list[2]!.body! }],
    });
    rows.push(
      { scenario: 'lineberty-queries', metric: 'bare route GET', value: round(bareGet.rps), unit: `req/s (p99 ${bareGet.p99} ms)` },
      { scenario: 'lineberty-queries', metric: 'bare route POST', value: round(barePost.rps), unit: `req/s (p99 ${barePost.p99} ms)` },
    );

    try {
      for (const query of list) {
        ctx.progress(`${query.name} at ${CONNECTIONS} connections for ${seconds} s`);
        const load = await runLoad({
          url: server.info.url + query.path,
          method: query.method,
          headers: query.headers,
          body: query.body,
          connections: CONNECTIONS,
          durationSeconds: seconds,
        });
        const ceiling = query.method === 'GET' ? bareGet : barePost;
        rows.push({
          scenario: 'lineberty-queries',
          metric: query.name,
          value: round(load.rps),
          unit: `req/s (p50 ${load.p50} ms, p99 ${load.p99} ms; bare p99 ${ceiling.p99} ms; ${load.non2xx + load.errors} failed)`,
          ceiling: round(ceiling.rps),
          ratio: load.rps / ceiling.rps,
          target: 'answered, no failure',
          pass: load.requests > 0 && load.non2xx + load.errors === 0,
        });
      }
    } finally {
      await server.stop();
    }
    return rows;
  },
};
