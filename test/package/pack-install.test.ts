/**
 * The package as an operator receives it: `npm pack`, installed globally into a temporary prefix
 * from the local npm cache, and `queuebell start` run from there with plain Node on free ports. Slow
 * (the pack compiles dist/ from scratch), so it is one test with a generous timeout.
 */
import { execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'queuebell-pack-'));

/** The environment of a machine with nothing of ours set: no QUEUEBELL_* and no npm_* from `npm test`. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!/^(QUEUEBELL_|npm_)/i.test(name)) env[name] = value;
  return { ...env, ...extra };
}

const versionOf = (packageDir: string) =>
  (JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string }).version;

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the npm package', () => {
  it('packs, installs into a fresh prefix, and its queuebell start serves both services and stops on SIGTERM', async () => {
    await run('npm', ['pack', '--pack-destination', work], { cwd: repo, env: cleanEnv(), maxBuffer: 64 * 1024 * 1024 });
    const tarball = readdirSync(work).find((name) => /^queuebell-.*\.tgz$/.test(name));
    expect(tarball).toBeDefined();

    const prefix = join(work, 'prefix');
    // Install scripts are skipped: better-sqlite3 would compile SQLite for minutes without a network.
    // Its native binary is taken from this checkout when the versions match, else built here.
    await run(
      'npm',
      ['install', '-g', '--prefix', prefix, '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', join(work, tarball!)],
      { cwd: work, env: cleanEnv() },
    );
    const installed = join(prefix, 'lib', 'node_modules', 'queuebell');
    const sqlite = join(installed, 'node_modules', 'better-sqlite3');
    const local = join(repo, 'node_modules', 'better-sqlite3');
    if (versionOf(sqlite) === versionOf(local) && existsSync(join(local, 'build', 'Release', 'better_sqlite3.node'))) {
      cpSync(join(local, 'build', 'Release', 'better_sqlite3.node'), join(sqlite, 'build', 'Release', 'better_sqlite3.node'));
    } else {
      await run('npm', ['rebuild', 'better-sqlite3'], { cwd: installed, env: cleanEnv() });
    }
    // What the package ships: compiled code and pages, no TypeScript sources, no tsx.
    expect(existsSync(join(installed, 'dist', 'cli', 'main.js'))).toBe(true);
    expect(existsSync(join(installed, 'dist', 'index.d.ts'))).toBe(true);
    expect(existsSync(join(installed, 'web', 'dist', 'index.html'))).toBe(true);
    expect(existsSync(join(installed, 'src'))).toBe(false);
    expect(existsSync(join(installed, 'node_modules', 'tsx'))).toBe(false);

    const dataDir = join(work, 'data');
    const child = spawn(join(prefix, 'bin', 'queuebell'), ['start'], {
      cwd: work,
      env: cleanEnv({ QUEUEBELL_DATA_DIR: dataDir, QUEUEBELL_QUEUE_PORT: '0', QUEUEBELL_PUSH_PORT: '0', QUEUEBELL_LOG_LEVEL: 'warn' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const urls = await new Promise<{ queue: string; push: string }>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`not started within 90 s:\n${output}`)), 90_000);
        const check = setInterval(() => {
          const queue = /queue service: (http:\S+)/.exec(output)?.[1];
          const push = /push server: +(http:\S+)/.exec(output)?.[1];
          if (child.exitCode !== null) reject(new Error(`exited with ${child.exitCode}:\n${output}`));
          if (!queue || !push) return;
          clearInterval(check);
          clearTimeout(timer);
          resolve({ queue, push });
        }, 100);
      });
      for (const url of [urls.queue, urls.push]) expect((await fetch(`${url}/healthz`)).status, url).toBe(200);
    } finally {
      if (child.exitCode === null) child.kill('SIGTERM');
    }
    expect(await exited, output).toBe(0);
  }, 900_000);
});
