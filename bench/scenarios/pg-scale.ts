/**
 * Scale-out on PostgreSQL (docs/design.md §Storage, several processes): bookings/s with one and two
 * API processes and deliveries/s with one and two worker processes, each started as an operator
 * would (`queuebell queue-service --role api|worker`) on one database, beside pgbench's built-in
 * TPC-B-like transactions/s on the same server in the same run as the ceiling.
 * Skipped with one line when PostgreSQL cannot be reached (BENCH_PG_URL, default 127.0.0.1:5432).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChild, type ChildServer } from '../lib/child.js';
import { freePort, startCli, type CliProcess } from '../lib/cli-process.js';
import { cpuMicros } from '../lib/cpu.js';
import { runLoad, type LoadResult } from '../lib/load.js';
import { adminQuery, createDatabase, databaseUrl, dropDatabase, initPgbench, postgresUnavailable, runPgbench } from '../lib/postgres.js';
import { round } from '../lib/stats.js';
import type { BenchContext, BenchRow, Scenario } from '../lib/types.js';
import { apiCaller, BENCH_ADMIN_TOKEN, seedBenchCompany } from '../servers/bench-company.js';

const NAME = 'pg-scale';
const CONNECTIONS = 64;
/**
 * Bookings spread over this many queues of one place: bookings of one queue take turns on its
 * counter row (docs/design.md §Unit of work), so one queue measures that row, not scale-out.
 */
const QUEUES = 32;
/** pgbench clients: one service process's pool (src/platform/db/database.ts); scale as large, so clients rarely share a branch row. */
const PGBENCH_CLIENTS = 10;
const PGBENCH_SCALE = 10;
/** The master key delivery-dispatcher.ts seals its webhook secret with: the workers must open it. */
const MASTER_KEY = 'bench-master-key-0123456789abcdef0123456789';

interface ReceiverStats {
  count: number;
  firstAt: number;
  lastAt: number;
}

export const pgScaleScenario: Scenario = {
  name: NAME,
  description: 'PostgreSQL: bookings/s with 1 and 2 API processes, deliveries/s with 1 and 2 workers, vs pgbench TPC-B-like tx/s',
  async run(ctx) {
    const unavailable = await postgresUnavailable();
    if (unavailable) {
      ctx.progress(`SKIPPED: ${unavailable}`);
      return [{ scenario: NAME, metric: 'skipped', value: NaN, unit: unavailable }];
    }
    const seconds = Math.max(3, Math.round(10 * ctx.scale));
    const tag = `${process.pid}`;
    const pgbenchDb = `qb_bench_pgbench_${tag}`;
    const dataDir = mkdtempSync(join(tmpdir(), 'queuebell-bench-pg-'));
    const databases = [pgbenchDb];
    try {
      ctx.progress(`pgbench -i -s ${PGBENCH_SCALE} into a scratch database`);
      await initPgbench(pgbenchDb, PGBENCH_SCALE);
      const rows: BenchRow[] = [];
      rows.push(...(await bookings(ctx, seconds, { pgbenchDb, dataDir, databases, tag })));
      rows.push(...(await deliveries(ctx, seconds, { pgbenchDb, dataDir, databases, tag })));
      return rows;
    } finally {
      for (const database of databases) await dropDatabase(database);
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};

interface Shared {
  pgbenchDb: string;
  dataDir: string;
  /** Every scratch database created, dropped at the end. */
  databases: string[];
  tag: string;
}

function serviceEnv(shared: Shared, database: string, extra: Record<string, string>): Record<string, string> {
  return {
    QUEUEBELL_DATA_DIR: shared.dataDir,
    QUEUEBELL_DATABASE_URL: databaseUrl(database),
    QUEUEBELL_ADMIN_TOKEN: BENCH_ADMIN_TOKEN,
    QUEUEBELL_MASTER_KEY: MASTER_KEY,
    QUEUEBELL_ALLOW_PRIVATE_WEBHOOKS: '1',
    QUEUEBELL_RATE_LIMIT_KEY_PER_MINUTE: '100000000',
    QUEUEBELL_RATE_LIMIT_ADDRESS_PER_MINUTE: '100000000',
    ...extra,
  };
}

async function startApi(shared: Shared, database: string, index: number): Promise<{ process: CliProcess; url: string }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = serviceEnv(shared, database, { QUEUEBELL_QUEUE_PORT: String(port), QUEUEBELL_QUEUE_WORKER_PORT: '0' });
  return { process: await startCli(`API process ${index}`, ['queue-service', '--role', 'api'], env, `${url}/healthz`), url };
}

async function bookings(ctx: BenchContext, seconds: number, shared: Shared): Promise<BenchRow[]> {
  ctx.progress(`ceiling: pgbench, ${PGBENCH_CLIENTS} clients, ${seconds} s`);
  const tps = await runPgbench(shared.pgbenchDb, PGBENCH_CLIENTS, seconds);
  const database = `qb_bench_booking_${shared.tag}`;
  shared.databases.push(database);
  await createDatabase(database);
  const apis: { process: CliProcess; url: string }[] = [];
  try {
    apis.push(await startApi(shared, database, 1));
    const seeded = await seedBenchCompany(apiCaller(apis[0]!.url), {
      scopes: ['booking'],
      queueSettings: { maxGroupSize: 10 },
      webhookUrl: 'http://127.0.0.1:9/push',
      users: CONNECTIONS,
      queues: QUEUES,
    });
    let next = 0;
    const bookingRequest = () => ({
      method: 'POST',
      path: `/v2/queues/${seeded.queueIds[next % QUEUES]}/ticket`,
      headers: {
        'content-type': 'application/json',
        'x-api-key': seeded.key,
        authorization: `Bearer ${seeded.tokens[next++ % seeded.tokens.length]}`,
      },
      body: JSON.stringify({ pushId: `push-${next}`, sendClientPush: true, groupSize: 1 + (next % 3) }),
    });
    const load = (durationSeconds: number) =>
      Promise.all(
        apis.map((api) =>
          runLoad({ url: api.url, method: 'POST', connections: CONNECTIONS / apis.length, durationSeconds, setupRequest: bookingRequest }),
        ),
      );
    const measure = async (count: number) => {
      ctx.progress(`warming up ${count} API process(es) for 2 s (not counted)`);
      await load(2);
      ctx.progress(`bookings through ${count} API process(es), ${CONNECTIONS} connections, ${seconds} s`);
      const cpuBefore = apis.map((api) => cpuMicros(api.process.process.pid!));
      const loads = await load(seconds);
      const cpu = apis.reduce((sum, api, i) => sum + cpuMicros(api.process.process.pid!) - cpuBefore[i]!, 0);
      const total = sumLoads(loads);
      if (total.failed) throw new Error(`${total.failed} bookings failed through ${count} API process(es)`);
      return { ...total, cpuMicrosPerBooking: cpu / total.requests };
    };
    const one = await measure(1);
    apis.push(await startApi(shared, database, 2));
    const two = await measure(2);
    return [
      {
        scenario: NAME,
        metric: 'pgbench TPC-B-like (ceiling)',
        value: round(tps),
        unit: `tx/s (${PGBENCH_CLIENTS} clients, scale ${PGBENCH_SCALE})`,
      },
      bookingRow('bookings, 1 API process', one, tps),
      bookingRow('bookings, 2 API processes', two, tps),
      { scenario: NAME, metric: 'bookings: 2 API processes vs 1', value: round((two.rps / one.rps) * 100), unit: '%' },
    ];
  } finally {
    for (const api of apis) await api.process.stop();
  }
}

function sumLoads(loads: LoadResult[]) {
  return {
    requests: loads.reduce((sum, load) => sum + load.requests, 0),
    rps: loads.reduce((sum, load) => sum + load.rps, 0),
    p99: Math.max(...loads.map((load) => load.p99)),
    failed: loads.reduce((sum, load) => sum + load.errors + load.non2xx, 0),
  };
}

function bookingRow(metric: string, run: { rps: number; p99: number; cpuMicrosPerBooking: number }, tps: number): BenchRow {
  return {
    scenario: NAME,
    metric,
    value: round(run.rps),
    unit: `bookings/s (${QUEUES} queues, p99 ${run.p99} ms, ${round(run.cpuMicrosPerBooking)} µs API CPU each)`,
    ceiling: round(tps),
    ratio: run.rps / tps,
  };
}

async function deliveries(ctx: BenchContext, seconds: number, shared: Shared): Promise<BenchRow[]> {
  const count = Math.max(5000, Math.round(30_000 * ctx.scale));
  ctx.progress(`ceiling: pgbench, ${PGBENCH_CLIENTS} clients, ${seconds} s`);
  const tps = await runPgbench(shared.pgbenchDb, PGBENCH_CLIENTS, seconds);
  const receiver = await startChild<{ url: string }>(new URL('../servers/delivery-receiver.ts', import.meta.url), {}, [], {
    label: 'webhook receiver',
  });
  const rows: BenchRow[] = [
    {
      scenario: NAME,
      metric: 'pgbench TPC-B-like (ceiling)',
      value: round(tps),
      unit: `tx/s (${PGBENCH_CLIENTS} clients, scale ${PGBENCH_SCALE})`,
    },
  ];
  try {
    const rates: number[] = [];
    for (const workers of [1, 2]) {
      const run = await drain(ctx, shared, receiver, workers, count);
      rates.push(run.rate);
      rows.push(
        {
          scenario: NAME,
          metric: `deliveries, ${workers} worker process${workers > 1 ? 'es' : ''}`,
          value: round(run.rate),
          unit: `msg/s (${count} signed webhooks, ${round(run.cpuMicrosPerMessage)} µs worker CPU each)`,
          ceiling: round(tps),
          ratio: run.rate / tps,
        },
        {
          scenario: NAME,
          metric: `every message delivered once, ${workers} worker${workers > 1 ? 's' : ''}`,
          value: run.received,
          unit: `received of ${count} (${run.recorded} recorded delivered)`,
          target: `= ${count}`,
          pass: run.received === count && run.recorded === count,
        },
      );
    }
    rows.push({ scenario: NAME, metric: 'deliveries: 2 workers vs 1', value: round((rates[1]! / rates[0]!) * 100), unit: '%' });
    return rows;
  } finally {
    await receiver.stop();
  }
}

/**
 * Fills a fresh database with `count` messages held back, starts the workers, then makes the whole
 * backlog due at once (one UPDATE and a NOTIFY) and times it from there to the last arrival.
 */
async function drain(ctx: BenchContext, shared: Shared, receiver: ChildServer<{ url: string }>, workers: number, count: number) {
  const database = `qb_bench_outbox_${shared.tag}_${workers}`;
  shared.databases.push(database);
  await createDatabase(database);
  ctx.progress(`filling the outbox with ${count} messages held back`);
  const filler = await startChild<Record<string, never>>(
    new URL('../servers/delivery-dispatcher.ts', import.meta.url),
    { DELIVERY_DATABASE_URL: databaseUrl(database) },
    [],
    { label: 'outbox filler' },
  );
  try {
    await filler.request({ type: 'prepare', receiverUrl: receiver.info.url, count, holdUntil: Date.now() + 3_600_000 });
  } finally {
    await filler.stop();
  }
  await receiver.request({ type: 'reset', latency: false });
  const processes: CliProcess[] = [];
  try {
    for (let i = 1; i <= workers; i++) {
      const port = await freePort();
      const env = serviceEnv(shared, database, { QUEUEBELL_QUEUE_WORKER_PORT: String(port), QUEUEBELL_QUEUE_PORT: '0' });
      processes.push(
        await startCli(`worker process ${i} of ${workers}`, ['queue-service', '--role', 'worker'], env, `http://127.0.0.1:${port}/healthz`),
      );
    }
    ctx.progress(`${workers} worker process(es) ready: releasing the backlog`);
    const cpuBefore = processes.map((p) => cpuMicros(p.process.pid!));
    const releasedAt = Date.now();
    await adminQuery(
      `with released as (update messages set next_attempt_at = $1 where status = 'pending') select pg_notify('queuebell_outbox', '')`,
      [releasedAt],
      databaseUrl(database),
    );
    const until = Date.now() + 180_000;
    let stats = await receiver.request<ReceiverStats>({ type: 'stats' });
    while (stats.count < count && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      stats = await receiver.request<ReceiverStats>({ type: 'stats' });
    }
    const cpu = processes.reduce((sum, p, i) => sum + cpuMicros(p.process.pid!) - cpuBefore[i]!, 0);
    const recorded = await recordedDelivered(database, count);
    return { rate: count / ((stats.lastAt - releasedAt) / 1000), received: stats.count, recorded, cpuMicrosPerMessage: cpu / count };
  } finally {
    for (const p of processes) await p.stop();
  }
}

/** Messages recorded delivered, once that reaches `count` (the last outcomes are written just after the answers) or after 10 s. */
async function recordedDelivered(database: string, count: number): Promise<number> {
  const until = Date.now() + 10_000;
  for (;;) {
    const { rows } = await adminQuery(`select count(*)::int as n from messages where status = 'delivered'`, [], databaseUrl(database));
    const delivered = rows[0].n as number;
    if (delivered >= count || Date.now() > until) return delivered;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
