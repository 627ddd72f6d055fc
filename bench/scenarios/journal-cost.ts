/**
 * journal-cost: what the outcome journal and the PostgreSQL liveness lock (docs/design.md §Faults,
 * §Workers) cost a dispatcher that delivers a backlog: deliveries/s with both off and with both on,
 * alternated twice in the same run, each on a fresh PostgreSQL database with the same backlog. The
 * journal writes only when the database refuses outcomes for longer than a lease, so what is
 * measured is its replay check at start and the liveness lock with its takeover check per renewal.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChild, type ChildServer } from '../lib/child.js';
import { createBenchPgDatabase } from '../lib/pg-database.js';
import { round } from '../lib/stats.js';
import { atMost, type BenchRow, type Scenario } from '../lib/types.js';

interface DeliverRun {
  seconds: number;
  rate: number;
  delivered: number;
}

async function deliverOnce(receiverUrl: string, count: number, dispatch: Record<string, unknown>): Promise<DeliverRun> {
  const pgDatabase = await createBenchPgDatabase('qb_bench_journal');
  const env = { DELIVERY_DATABASE_URL: pgDatabase.url, DELIVERY_DISPATCH: JSON.stringify(dispatch) };
  const script = new URL('../servers/delivery-dispatcher.ts', import.meta.url);
  let child: ChildServer<Record<string, never>> | null = null;
  try {
    const filler = await startChild<Record<string, never>>(script, env);
    await filler.request({ type: 'prepare', receiverUrl, count });
    await filler.stop();
    child = await startChild<Record<string, never>>(script, env);
    return await child.request<DeliverRun>({ type: 'deliver', count });
  } finally {
    await child?.stop();
    await pgDatabase.drop();
  }
}

/** How far apart the slowest and the fastest run are, in % of the fastest. */
function spread(runs: DeliverRun[]): number {
  const rates = runs.map((r) => r.rate);
  return ((Math.max(...rates) - Math.min(...rates)) / Math.max(...rates)) * 100;
}

export const journalCostScenario: Scenario = {
  name: 'journal-cost',
  description: 'deliveries/s of one PostgreSQL dispatcher with and without the outcome journal and the liveness lock, alternated',
  async run(ctx) {
    const count = Math.max(3_000, Math.round(20_000 * ctx.scale));
    const receiver = await startChild<{ url: string }>(new URL('../servers/delivery-receiver.ts', import.meta.url));
    const journalDir = mkdtempSync(join(tmpdir(), 'queuebell-journal-bench-'));
    const without: DeliverRun[] = [];
    const withBoth: DeliverRun[] = [];
    try {
      await receiver.request({ type: 'reset', latency: false });
      for (let pass = 1; pass <= 2; pass++) {
        ctx.progress(`round ${pass}: ${count} deliveries without, then with the journal and the liveness lock`);
        without.push(await deliverOnce(receiver.info.url, count, { journalDir: null, liveness: false }));
        withBoth.push(await deliverOnce(receiver.info.url, count, { journalDir, liveness: true }));
      }
    } finally {
      await receiver.stop();
      rmSync(journalDir, { recursive: true, force: true });
    }
    const best = (runs: DeliverRun[]) => Math.max(...runs.map((r) => r.rate));
    const off = best(without);
    const on = best(withBoth);
    const apart = (Math.abs(off - on) / off) * 100;
    const rates = (runs: DeliverRun[]) => runs.map((r) => round(r.rate)).join(', ');
    return [
      {
        scenario: 'journal-cost',
        metric: 'deliveries/s without journal and liveness',
        value: round(off),
        unit: `msg/s (best of ${rates(without)})`,
      },
      {
        scenario: 'journal-cost',
        metric: 'deliveries/s with journal and liveness',
        value: round(on),
        unit: `msg/s (best of ${rates(withBoth)}; ${count} each)`,
        ceiling: round(off),
        ratio: on / off,
      },
      { scenario: 'journal-cost', metric: 'apart', value: round(apart), unit: '%', ...atMost(round(apart), 5) },
      {
        scenario: 'journal-cost',
        metric: 'noise: the same setting run to run',
        value: round(spread(without)),
        unit: '% between the two runs without (the machine’s own noise, for reading the row above)',
      },
    ] satisfies BenchRow[];
  },
};
