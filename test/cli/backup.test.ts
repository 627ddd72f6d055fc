/**
 * `queuebell backup <dir>` on a running installation, then a restore as docs/operations.md tells
 * it: the backup copied into a fresh data dir, queuebell started on it, and the data is there.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { backupDataDir } from '../../src/cli/backup-command.js';
import { loadConfig } from '../../src/platform/config.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const parent = mkdtempSync(join(tmpdir(), 'queuebell-backup-'));
const running: ChildProcess[] = [];

const envFor = (dataDir: string) => ({
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('QUEUEBELL_'))),
  QUEUEBELL_DATA_DIR: dataDir,
  QUEUEBELL_QUEUE_PORT: '0',
  QUEUEBELL_PUSH_PORT: '0',
  QUEUEBELL_LOG_LEVEL: 'warn',
});

/** `queuebell start` on a data dir; resolves with both URLs once it listens. */
async function start(dataDir: string): Promise<{ queue: string; push: string; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'start'], { env: envFor(dataDir), stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(child);
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not started within 60 s:\n${output}`)), 60_000);
    const check = setInterval(() => {
      const queue = /queue service: (http:\S+)/.exec(output)?.[1];
      const push = /push server: +(http:\S+)/.exec(output)?.[1];
      if (!queue || !push) return;
      clearInterval(check);
      clearTimeout(timer);
      resolve({ queue, push, output: () => output });
    }, 100);
  });
}

async function admin(url: string, token: string, method = 'GET', body?: unknown): Promise<any> {
  const response = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  expect(response.ok, `${method} ${url}: ${response.status}`).toBe(true);
  return response.json();
}

afterAll(async () => {
  for (const child of running) {
    if (child.exitCode !== null) continue;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  rmSync(parent, { recursive: true, force: true });
});

describe('queuebell backup', () => {
  it('backs up a running installation; a fresh data dir restored from it starts with the same data and keys', async () => {
    const original = join(parent, 'original');
    const service = await start(original);
    const token = readFileSync(join(original, 'admin-token'), 'utf8').trim();
    const company = await admin(`${service.queue}/admin/companies`, token, 'POST', { name: 'Kept Co' });
    const app = await admin(`${service.push}/admin/apps`, token, 'POST', { name: 'Kept app' });

    const backup = join(parent, 'backup');
    const ran = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', MAIN, 'backup', backup],
        { env: envFor(original), timeout: 60_000 },
        (error, stdout, stderr) => resolve({ code: error ? 1 : 0, stdout, stderr }),
      );
    });
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toMatch(/queue service: .*queue-service\.sqlite → .*backup\/queue-service\.sqlite \(\d+ pages\)/);
    expect(ran.stdout).toMatch(/push server: .*push-server\.sqlite → .*backup\/push-server\.sqlite/);
    expect(readdirSync(backup).sort()).toEqual(['admin-token', 'master-key', 'push-server.sqlite', 'queue-service.sqlite']);
    for (const name of readdirSync(backup)) expect(statSync(join(backup, name)).mode & 0o777, name).toBe(0o600);

    // Restore: copy the backup into an empty data dir and start on it.
    const restored = join(parent, 'restored');
    cpSync(backup, restored, { recursive: true });
    const again = await start(restored);
    expect(again.output()).not.toContain('Generated the admin token');
    expect((await admin(`${again.queue}/admin/companies`, token)).map((c: { id: string }) => c.id)).toContain(company.id);
    expect((await admin(`${again.push}/admin/apps`, token)).apps.map((a: { appId: string }) => a.appId)).toContain(app.appId);
  }, 180_000);

  it('refuses a directory that already holds a backup, and says to use pg_dump for PostgreSQL', async () => {
    const lines: string[] = [];
    const config = loadConfig({
      QUEUEBELL_DATA_DIR: join(parent, 'pg'),
      QUEUEBELL_DATABASE_URL: 'postgres://queuebell@db/queue',
      QUEUEBELL_PUSH_DATABASE_URL: 'postgresql://queuebell@db/push',
    });
    await backupDataDir(config, join(parent, 'pg-backup'), (line) => lines.push(line));
    expect(lines.slice(0, 2)).toEqual([
      'queue service: PostgreSQL (QUEUEBELL_DATABASE_URL) — back it up with pg_dump, e.g. pg_dump --format=custom --file=queue-service.dump "$QUEUEBELL_DATABASE_URL"',
      'push server: PostgreSQL (QUEUEBELL_PUSH_DATABASE_URL) — back it up with pg_dump, e.g. pg_dump --format=custom --file=push-server.dump "$QUEUEBELL_PUSH_DATABASE_URL"',
    ]);
    expect(lines[2]).toMatch(/^admin-token: not in the data dir \(QUEUEBELL_ADMIN_TOKEN sets it\)/);
    await expect(
      backupDataDir(loadConfig({ QUEUEBELL_DATA_DIR: join(parent, 'original') }), join(parent, 'backup'), () => {}),
    ).rejects.toThrow(/already exists/);
  });
});
