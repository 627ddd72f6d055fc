/**
 * Worker-only processes as an operator runs them (docs/design.md §Faults): `queue-service --role
 * worker` and `push-server --role worker` serve /healthz, /readyz and /metrics on their worker
 * port, and a port already taken stops the start with one line on stderr and exit code 1.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SECRETS = {
  QUEUEBELL_ADMIN_TOKEN: 'test-admin-token-0123456789',
  QUEUEBELL_MASTER_KEY: 'test-master-key-0123456789abcdef0123456789',
};

interface Run {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  exited: Promise<number | null>;
}

function run(args: string[], env: Record<string, string>): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    env: { ...process.env, QUEUEBELL_LOG_LEVEL: 'warn', ...SECRETS, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const result: Run = { child, stdout: '', stderr: '', exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))) };
  child.stdout!.on('data', (chunk) => (result.stdout += chunk));
  child.stderr!.on('data', (chunk) => (result.stderr += chunk));
  return result;
}

async function waitForHealthUrl(process: Run): Promise<string> {
  const until = Date.now() + 60_000;
  for (;;) {
    const match = process.stdout.match(/health, readiness and metrics at (http:\/\/\S+)/);
    if (match) return match[1]!;
    if (process.child.exitCode !== null || Date.now() > until)
      throw new Error(`no health URL; output:\n${process.stdout}${process.stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.each([
  { command: 'queue-service', setting: 'QUEUEBELL_QUEUE_WORKER_PORT', metric: 'process_cpu_seconds_total' },
  { command: 'push-server', setting: 'QUEUEBELL_PUSH_WORKER_PORT', metric: 'queuebell_pushes_total' },
])('$command --role worker', ({ command, setting, metric }) => {
  let dataDir: string;
  let blocker: Server;
  let takenPort: number;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'qb-worker-ports-'));
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    takenPort = (blocker.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => blocker.close(resolve));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves /healthz, /readyz and /metrics on its worker port', async () => {
    const worker = run([command, '--role', 'worker'], { QUEUEBELL_DATA_DIR: dataDir, [setting]: '0' });
    try {
      const base = await waitForHealthUrl(worker);
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
      expect(await (await fetch(`${base}/metrics`)).text()).toContain(metric);
    } finally {
      worker.child.kill('SIGTERM');
      await worker.exited;
    }
  }, 90_000);

  it('exits with 1 and one line on stderr when its worker port is taken', async () => {
    const worker = run([command, '--role', 'worker'], { QUEUEBELL_DATA_DIR: dataDir, [setting]: String(takenPort) });
    expect(await worker.exited).toBe(1);
    expect(worker.stderr.trim().split('\n')).toEqual([
      `queuebell: port ${takenPort} on 127.0.0.1 is already in use (stop what listens there, or set ${setting} to a free port, or to 0 for any)`,
    ]);
  }, 90_000);
});
