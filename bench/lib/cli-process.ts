/**
 * A `queuebell` command (src/cli/main.ts through tsx) in its own process, as an operator runs it:
 * configured by environment only, ready when its health URL answers 200. Its memory is watched.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { watchMemory } from './memory.js';

const CLI = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

export interface CliProcess {
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function startCli(label: string, args: string[], env: Record<string, string>, healthUrl: string): Promise<CliProcess> {
  const profile = process.env.BENCH_CHILD_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CHILD_PROFILE}`] : [];
  const child = spawn(process.execPath, ['--import', 'tsx', ...profile, CLI, ...args], {
    env: { ...process.env, QUEUEBELL_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const errors: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => errors.push(chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const until = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${label} exited with ${child.exitCode}: ${errors.join('')}`);
    const ok = await fetch(healthUrl).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > until) {
      child.kill('SIGKILL');
      throw new Error(`${label} was not healthy within 60 s: ${errors.join('')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const memory = watchMemory(label, child.pid!);
  return {
    process: child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      memory.sampleBeforeExit();
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
