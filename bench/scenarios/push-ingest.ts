/**
 * Ingest: signed messages posted at 64 connections, each answered 202 only once the
 * message and its push job are committed (SQLite, WAL), against a bare Fastify route in the same
 * run. Afterwards the stored jobs are counted: every acknowledged message must be in the database.
 */
import { measureBareRoute } from '../lib/bare-route.js';
import { runLoad } from '../lib/load.js';
import { round } from '../lib/stats.js';
import { atLeast, type BenchRow, type Scenario } from '../lib/types.js';
import { messageBody, signedRequests, startFakes, startPushServer, type BenchApp } from './push-support.js';

const CONNECTIONS = 64;

export const pushIngestScenario: Scenario = {
  name: 'push-ingest',
  description: 'signed messages into the push server (durable 202), 64 connections, vs a bare Fastify route',
  async run(ctx) {
    const seconds = Math.max(3, Math.round(10 * ctx.scale));
    const rows: BenchRow[] = [];
    const [ceiling] = await measureBareRoute(ctx, seconds, {
      progress: 'ceiling: bare Fastify route with a message-sized body',
      connections: CONNECTIONS,
      loads: [{ method: 'POST', body: messageBody('pid_x', 'tkt_x', 1) }],
    });

    const fakes = await startFakes();
    const server = await startPushServer();
    try {
      const app = await server.request<BenchApp>({ type: 'setup', provider: 'apns', count: 1000, apns: fakes.info.apns });
      ctx.progress(`signed messages at ${CONNECTIONS} connections for ${seconds} s (worker off: ingest alone)`);
      const load = await runLoad({
        url: server.info.url,
        method: 'POST',
        connections: CONNECTIONS,
        durationSeconds: seconds,
        setupRequest: signedRequests(app),
      });
      const acknowledged = load.requests - load.non2xx;
      const jobs = await server.request<Record<string, number>>({ type: 'jobs' });
      const stored = Object.values(jobs).reduce((a, b) => a + b, 0);
      rows.push(
        {
          scenario: 'push-ingest',
          metric: 'signed messages ingested',
          value: round(load.rps),
          unit: 'msg/s',
          ceiling: round(ceiling.rps),
          ratio: load.rps / ceiling.rps,
          ...atLeast(Math.round(load.rps), 5000),
        },
        {
          scenario: 'push-ingest',
          metric: 'ingest p50 / p99 at 64 conn',
          value: load.p50,
          unit: `ms (p99 ${load.p99} ms, ${load.non2xx} non-2xx, ${load.errors} errors)`,
        },
        // Requests cut off at the end of the run may be stored without their 202 having been read.
        {
          scenario: 'push-ingest',
          metric: 'acknowledged messages stored',
          value: stored,
          unit: `jobs for ${acknowledged} 202s`,
          target: '>= acknowledged',
          pass: stored >= acknowledged && stored - acknowledged <= CONNECTIONS,
        },
      );
    } finally {
      await server.stop();
      await fakes.stop();
    }
    return rows;
  },
};
