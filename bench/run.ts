/**
 * `npm run bench [-- --only name,name] [-- --scale 0.2]`: runs the scenarios, prints progress and a
 * table, and writes JSON under bench/results/. Every scenario measures its ceiling in the same run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { describeMachine } from './lib/machine.js';
import { takeMemoryRows } from './lib/memory.js';
import type { BenchRow } from './lib/types.js';
import { scenarios } from './scenarios/index.js';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
};
const only = option('only')?.split(',');
const scale = Number(option('scale') ?? '1');

const selected = scenarios.filter((s) => !only || only.includes(s.name));
const machine = describeMachine();
console.log(`queuebell bench on ${machine.cpu} (${machine.cores} cores, ${machine.memoryGiB} GiB), Node ${machine.node}`);
console.log(`scenarios: ${selected.map((s) => s.name).join(', ')}\n`);

const rows: BenchRow[] = [];
for (const scenario of selected) {
  const started = Date.now();
  console.log(`▶ ${scenario.name}: ${scenario.description}`);
  try {
    const scenarioRows = await scenario.run({ progress: (message) => console.log(`  · ${message}`), scale });
    rows.push(...scenarioRows, ...takeMemoryRows(scenario.name));
    console.log(`✔ ${scenario.name} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  } catch (error) {
    console.log(`✘ ${scenario.name} failed: ${(error as Error).stack}\n`);
    rows.push({ scenario: scenario.name, metric: 'error', value: NaN, unit: (error as Error).message, pass: false });
    takeMemoryRows(scenario.name);
  }
}

printTable(rows);
mkdirSync('bench/results', { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const report = JSON.stringify({ at: new Date().toISOString(), machine, scale, rows }, null, 2);
writeFileSync(`bench/results/${stamp}.json`, report);
writeFileSync('bench/results/latest.json', report);
console.log(`\nresults: bench/results/${stamp}.json`);
process.exit(0);

function printTable(all: BenchRow[]): void {
  const header = ['scenario', 'metric', 'value', 'unit', 'ceiling', 'ratio', 'target', 'ok'];
  const body = all.map((r) => [
    r.scenario,
    r.metric,
    format(r.value),
    r.unit,
    r.ceiling === undefined ? '' : format(r.ceiling),
    r.ratio === undefined ? '' : `${(r.ratio * 100).toFixed(0)}%`,
    r.target ?? '',
    r.pass === undefined ? '' : r.pass ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of body) console.log(line(row));
}

function format(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(2);
}
