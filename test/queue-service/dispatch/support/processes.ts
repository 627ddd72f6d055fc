/** Queue services in child processes for the multi-process delivery tests: start, ask, stop, SIGKILL. */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { DispatcherOptions, DispatcherStats } from '../../../../src/queue-service/dispatch/dispatcher.js';
import { ADMIN_TOKEN } from '../../support/harness.js';

/** The master key of QueueHarness, so a child opens the secrets the test's API sealed. */
export const TEST_MASTER_KEY = 'test-master-key-0123456789abcdef0123456789';

const SCRIPT = fileURLToPath(new URL('./service-process.ts', import.meta.url));

export interface ServiceProcess {
  url: string | null;
  child: ChildProcess;
  /** Everything the child wrote, for the failure message of a test. */
  output: string[];
  stats(): Promise<DispatcherStats>;
  /** SIGTERM and wait: the graceful path. */
  stop(): Promise<void>;
  /** SIGKILL and wait: the crash. */
  kill(): Promise<void>;
}

export interface ServiceProcessOptions {
  role: 'worker' | 'all';
  databaseUrl: string;
  env?: Record<string, string>;
  dispatch?: Partial<Omit<DispatcherOptions, 'random'>>;
}

export async function startServiceProcess(options: ServiceProcessOptions): Promise<ServiceProcess> {
  const child = fork(SCRIPT, [], {
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      QUEUEBELL_LOG_LEVEL: 'warn',
      QUEUEBELL_DATA_DIR: '/nonexistent-test-dir',
      QUEUEBELL_ADMIN_TOKEN: ADMIN_TOKEN,
      QUEUEBELL_MASTER_KEY: TEST_MASTER_KEY,
      QUEUEBELL_DATABASE_URL: options.databaseUrl,
      QUEUEBELL_ALLOW_PRIVATE_WEBHOOKS: '1',
      QUEUEBELL_RATE_LIMIT_KEY_PER_MINUTE: '10000000',
      QUEUEBELL_RATE_LIMIT_ADDRESS_PER_MINUTE: '10000000',
      QUEUEBELL_QUEUE_WORKER_PORT: '0',
      SERVICE_ROLE: options.role,
      SERVICE_DISPATCH: JSON.stringify(options.dispatch ?? {}),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const output: string[] = [];
  child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await new Promise<{ url: string | null }>((resolve, reject) => {
    child.on('message', (message: { ready?: boolean; url?: string | null }) => {
      if (message?.ready) resolve({ url: message.url ?? null });
    });
    void exited.then(() => reject(new Error(`service process exited before it was ready:\n${output.join('')}`)));
  });
  return {
    url: ready.url,
    child,
    output,
    stats: () =>
      new Promise((resolve) => {
        const onReply = (message: { type?: string; reply?: DispatcherStats }) => {
          if (message?.type !== 'stats') return;
          child.off('message', onReply);
          resolve(message.reply!);
        };
        child.on('message', onReply);
        child.send({ type: 'stats' });
      }),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
