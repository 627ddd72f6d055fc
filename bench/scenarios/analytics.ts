/**
 * Analytics over a million finished tickets (docs/design.md §Analytics), on embedded SQLite and on
 * PostgreSQL (a scratch database, dropped afterwards; skipped with a row saying so when the server
 * does not answer): a day's report of one place over HTTP, a month's, and beside them the bare
 * `count(*)` over the rows the day's report reads, and over the whole table, in the same run.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { startChild } from '../lib/child.js';
import { percentile, round } from '../lib/stats.js';
import { atMost, type BenchRow, type Scenario } from '../lib/types.js';
import { BENCH_ADMIN_TOKEN } from '../servers/bench-company.js';

interface AnalyticsInfo {
  url: string;
  engine: string;
  count: number;
  days: number;
  seedSeconds: number;
  placeId: string;
  firstDay: number;
}

const DAY = 86_400_000;
/** Reports timed per range, one after the other (the p99 of 40 is the second slowest). */
const SAMPLES = 40;
const PG_ADMIN_URL = process.env.QUEUEBELL_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export const analyticsScenario: Scenario = {
  name: 'analytics',
  description: "a place's day and month of analytics over 1,000,000 tickets, SQLite and PostgreSQL, vs a bare count(*)",
  async run(ctx) {
    const count = Math.max(100_000, Math.round(1_000_000 * ctx.scale));
    const rows = await onEngine(ctx, count, {});
    const scratch = `qb_bench_analytics_${randomBytes(4).toString('hex')}`;
    const created = await adminQuery(`create database ${scratch}`).then(
      () => true,
      () => false,
    );
    if (!created) {
      rows.push({ scenario: 'analytics', metric: 'postgres', value: 0, unit: `skipped: no PostgreSQL at ${PG_ADMIN_URL}` });
      return rows;
    }
    try {
      const url = new URL(PG_ADMIN_URL);
      url.pathname = `/${scratch}`;
      rows.push(...(await onEngine(ctx, count, { QUEUEBELL_DATABASE_URL: url.toString() })));
    } finally {
      await adminQuery(`drop database if exists ${scratch} with (force)`);
    }
    return rows;
  },
};

async function onEngine(ctx: { progress(message: string): void }, count: number, env: Record<string, string>): Promise<BenchRow[]> {
  const engine = env.QUEUEBELL_DATABASE_URL ? 'postgres' : 'sqlite';
  ctx.progress(`${engine}: seeding ${count.toLocaleString('en')} finished tickets over 10 places`);
  const child = await startChild<AnalyticsInfo>(new URL('../servers/analytics-service.ts', import.meta.url), env, [String(count)]);
  try {
    const { url, placeId, firstDay, days, seedSeconds } = child.info;
    const middle = firstDay + Math.floor(days / 2) * DAY;
    const day = new Date(middle).toISOString().slice(0, 10);
    const monthEnd = new Date(middle + 30 * DAY).toISOString().slice(0, 10);
    ctx.progress(`${engine}: seeded in ${round(seedSeconds)} s; timing a day's and a month's report`);
    const report = async (to: string) => {
      const samples: number[] = [];
      let visits = 0;
      for (let i = 0; i < SAMPLES; i++) {
        const started = performance.now();
        const response = await fetch(`${url}/admin/places/${placeId}/analytics?from=${day}&to=${to}`, {
          headers: { authorization: `Bearer ${BENCH_ADMIN_TOKEN}` },
        });
        const body = (await response.json()) as { totals: { visits: number } };
        samples.push(performance.now() - started);
        if (!response.ok) throw new Error(`analytics: ${response.status} ${JSON.stringify(body)}`);
        visits = body.totals.visits;
      }
      samples.sort((a, b) => a - b);
      return { p50: percentile(samples, 50), p99: percentile(samples, 99), visits };
    };
    await report(day); // warm-up: the first report after the seed reads cold pages
    const oneDay = await report(day);
    const month = await report(monthEnd);
    const bare = await child.request<{ dayRows: number; allRows: number }>({ type: 'count', placeId, from: middle, to: middle + DAY });
    return [
      {
        scenario: 'analytics',
        metric: `${engine}: one place, one day (${oneDay.visits} visits)`,
        value: round(oneDay.p50),
        unit: `ms p50 over HTTP (p99 ${round(oneDay.p99)} ms of ${SAMPLES}; ${count.toLocaleString('en')} tickets)`,
        ceiling: round(bare.dayRows),
        ratio: oneDay.p50 / bare.dayRows,
        ...atMost(round(oneDay.p50), 200),
      },
      {
        scenario: 'analytics',
        metric: `${engine}: one place, 31 days (${month.visits} visits)`,
        value: round(month.p50),
        unit: `ms p50 over HTTP (p99 ${round(month.p99)} ms of ${SAMPLES})`,
      },
      {
        scenario: 'analytics',
        metric: `${engine}: ceiling: bare count(*) of the day's rows`,
        value: round(bare.dayRows, 3),
        unit: 'ms in process (tickets_place_booked range)',
      },
      {
        scenario: 'analytics',
        metric: `${engine}: bare count(*) of every ticket`,
        value: round(bare.allRows),
        unit: `ms in process (${count.toLocaleString('en')} rows; seeded in ${round(seedSeconds)} s)`,
      },
    ];
  } finally {
    await child.stop();
  }
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
