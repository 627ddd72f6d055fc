/**
 * Starts a bench server script in its own Node process (through tsx) and waits until it reports
 * `{ready: true, ...info}` over IPC. The system under test never shares an event loop with the load.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compiledScript } from './compiled.js';
import { readMemory, watchMemory, type MemoryTargets } from './memory.js';

export interface ChildServer<Info> {
  info: Info;
  process: ChildProcess;
  /** Sends a message and waits for the reply of the same `type`. */
  request<T>(message: { type: string; [key: string]: unknown }): Promise<T>;
  stop(): Promise<void>;
}

export interface ChildOptions {
  /** How the process is named in the memory rows (default: the script's name). */
  label?: string;
  memoryTargets?: MemoryTargets;
  /** Run the script compiled, with plain node (compiled.ts), as the installed package runs. */
  compiled?: boolean;
  /** Node options of the process, e.g. V8 heap bounds. */
  nodeOptions?: string[];
  /**
   * Read the idle RSS this long after ready, before the scenario uses the process: V8 gives the
   * garbage of starting up back to the system about 15 s after start (its memory reducer), so the
   * RSS at ready is not yet what the process holds idle. Both figures are reported.
   */
  settleMs?: number;
}

export async function startChild<Info>(
  script: string | URL,
  env: Record<string, string> = {},
  args: string[] = [],
  options: ChildOptions = {},
): Promise<ChildServer<Info>> {
  const source = typeof script === 'string' ? script : fileURLToPath(script);
  const path = options.compiled ? await compiledScript(source) : source;
  const child = fork(path, args, {
    execArgv: [
      ...(options.compiled ? [] : ['--import', 'tsx']),
      ...(options.nodeOptions ?? []),
      ...(process.env.BENCH_CHILD_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CHILD_PROFILE}`] : []),
    ],
    env: { ...process.env, QUEUEBELL_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const info = await new Promise<Info>((resolve, reject) => {
    const onMessage = (message: { ready?: boolean } & Info) => {
      if (message?.ready) {
        child.off('message', onMessage);
        resolve(message);
      }
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`${path} exited with ${code} before it was ready`)));
  });
  const label = options.label ?? basename(source, '.ts');
  let atReady = null;
  if (options.settleMs) {
    atReady = { rssMB: readMemory(child.pid!)?.rssMB ?? NaN, settledMs: options.settleMs };
    await new Promise((resolve) => setTimeout(resolve, options.settleMs));
  }
  const memory = watchMemory(label, child.pid!, options.memoryTargets, atReady);
  return {
    info,
    process: child,
    request: <T>(message: { type: string }) =>
      new Promise<T>((resolve) => {
        const onReply = (reply: { type?: string; reply?: T }) => {
          if (reply?.type === message.type && 'reply' in reply) {
            child.off('message', onReply);
            resolve(reply.reply as T);
          }
        };
        child.on('message', onReply);
        child.send(message);
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        memory.sampleBeforeExit();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}
