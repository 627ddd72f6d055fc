/**
 * The sweep benchmark: the scheduler of automatic transitions with 100,000 open tickets in
 * the database (SQLite, or QUEUEBELL_DATABASE_URL), as a worker process runs it. Two sweeps:
 * one when nothing is due (the cost of looking, which must not grow with the open tickets), and
 * one when the timeouts of a fifth of them fall due at once (20,000 transitions, each with its
 * history event and outbox row). The ceiling: as many bare one-row update transactions through
 * the same group commit, in the same run.
 */
import { startChild } from '../lib/child.js';
import { round } from '../lib/stats.js';
import type { BenchRow, Scenario } from '../lib/types.js';

interface SweepInfo {
  count: number;
  jobs: number;
  seedSeconds: number;
  start: number;
  engine: string;
}
interface SweepResult {
  claimed: number;
  fired: number;
  skipped: number;
  failed: number;
  ms: number;
}

const MINUTE = 60_000;

export const sweepScenario: Scenario = {
  name: 'sweep',
  description:
    'automatic-transition sweep over 100,000 open tickets: nothing due, then 20,000 timeouts due at once, vs bare one-row transactions',
  async run(ctx) {
    const count = Math.max(10_000, Math.round(100_000 * ctx.scale));
    ctx.progress(`seeding ${count.toLocaleString('en')} open tickets and their due rows`);
    const child = await startChild<SweepInfo>(new URL('../servers/sweep-service.ts', import.meta.url), {}, [String(count)]);
    try {
      const { start, jobs, seedSeconds, engine } = child.info;
      ctx.progress(`seeded in ${round(seedSeconds)} s (${jobs.toLocaleString('en')} due rows) on ${engine}; sweeping with nothing due`);
      const idle = await child.request<SweepResult>({ type: 'sweep', at: start + MINUTE });
      ctx.progress('sweeping with every on-hold and no-show timeout due');
      const due = await child.request<SweepResult>({ type: 'sweep', at: start + 31 * MINUTE });
      ctx.progress(`ceiling: ${due.fired.toLocaleString('en')} bare one-row transactions, 64 in flight`);
      const bare = await child.request<{ ms: number }>({ type: 'bare', count: Math.max(1, due.fired), concurrency: 64 });
      const rate = due.fired / (due.ms / 1000);
      const bareRate = due.fired / (bare.ms / 1000);
      return [
        {
          scenario: 'sweep',
          metric: `sweep, nothing due (${count.toLocaleString('en')} open)`,
          value: round(idle.ms),
          unit: `ms (${idle.claimed} claimed)`,
        },
        {
          scenario: 'sweep',
          metric: `sweep, ${due.claimed.toLocaleString('en')} timeouts due`,
          value: round(due.ms / 1000),
          unit: `s (${due.fired} fired, ${due.skipped} skipped, ${due.failed} failed; ${engine})`,
          target: 'all fired',
          pass: due.fired === due.claimed && due.failed === 0,
        },
        {
          scenario: 'sweep',
          metric: 'transitions per second in a sweep',
          value: round(rate),
          unit: '/s (state change, event, outbox row, next due row)',
          ceiling: round(bareRate),
          ratio: rate / bareRate,
        },
        {
          scenario: 'sweep',
          metric: 'ceiling: bare one-row transactions',
          value: round(bareRate),
          unit: '/s (64 in flight, as the scheduler, group commit)',
        },
      ] satisfies BenchRow[];
    } finally {
      await child.stop();
    }
  },
};
