/**
 * `npm run build`: compiles src/ to dist/ (JavaScript and declaration files), copies the files the
 * compiled code reads beside itself, and builds the pages into web/dist, so the `queuebell` bin runs
 * with plain `node`. With `--if-stale` (npm start, npm install) it compiles only when a source is
 * newer than the last build; without it, dist/ is emptied first so no file of a deleted source stays.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPages } from '../web/build.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const dist = join(repo, 'dist');
const STAMP = join(dist, '.built');
const INPUTS = ['src', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];
/** Files the compiled code opens relative to itself (the fake APNs's TLS pair, used by the demo). */
const ASSETS = ['fakes/apns/test-tls'];

function newestInput(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestInput(join(path, name))));
}

export function codeIsStale(): boolean {
  return !existsSync(STAMP) || statSync(STAMP).mtimeMs < Math.max(...INPUTS.map((input) => newestInput(join(repo, input))));
}

export async function build(options: { ifStale?: boolean } = {}): Promise<void> {
  if (!options.ifStale || codeIsStale()) {
    if (!options.ifStale) rmSync(dist, { recursive: true, force: true });
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    const result = spawnSync(process.execPath, [tsc, '-p', join(repo, 'tsconfig.build.json')], { stdio: 'inherit' });
    if (result.status !== 0) throw new Error('tsc failed (see above)');
    for (const asset of ASSETS) cpSync(join(repo, 'src', asset), join(dist, asset), { recursive: true });
    writeFileSync(STAMP, new Date().toISOString() + '\n');
    if (options.ifStale) console.log('queuebell: compiled into dist/');
  }
  await buildPages({ ifStale: true, quiet: options.ifStale ?? false });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    await build({ ifStale: process.argv.includes('--if-stale') });
  } catch (error) {
    console.error(`queuebell build: ${(error as Error).message}`);
    process.exit(1);
  }
}
