/**
 * A load generator around autocannon, run in the bench process while the system under test runs in
 * child processes, so the two compete for the same two cores the way a real client would.
 */
import autocannon from 'autocannon';
import { cpuMicros } from './cpu.js';

export interface LoadOptions {
  url: string;
  method?: 'GET' | 'POST' | 'PUT';
  connections: number;
  durationSeconds: number;
  /** Stop after this many requests instead of after durationSeconds (a pool of one-use tokens). */
  amount?: number;
  /** Seconds before a request counts as an error (autocannon's default: 10). */
  timeoutSeconds?: number;
  headers?: Record<string, string>;
  body?: string;
  /** Per-request changes (a different token or body per request). */
  setupRequest?: (request: { method: string; path: string; headers: Record<string, string>; body?: string }) => object;
  /** Steady offered load in requests per second for the whole run (open-ish model); omit for max throughput. */
  overallRate?: number;
  pipelining?: number;
}

export interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  errors: number;
  non2xx: number;
}

/** runLoad against the process `pid`, with the CPU (µs, every thread, user and system) it used per request. */
export async function runLoadOn(pid: number, options: LoadOptions): Promise<LoadResult & { cpuPerRequest: number }> {
  const cpuBefore = cpuMicros(pid);
  const result = await runLoad(options);
  return { ...result, cpuPerRequest: (cpuMicros(pid) - cpuBefore) / result.requests };
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({
    url: options.url,
    method: options.method ?? 'GET',
    connections: options.connections,
    duration: options.durationSeconds,
    ...(options.amount === undefined ? {} : { amount: options.amount }),
    ...(options.timeoutSeconds === undefined ? {} : { timeout: options.timeoutSeconds }),
    headers: { ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}), ...options.headers },
    body: options.body,
    requests: options.setupRequest ? [{ method: options.method ?? 'GET', setupRequest: options.setupRequest as never }] : undefined,
    overallRate: options.overallRate,
    pipelining: options.pipelining ?? 1,
  });
  const completed = result.requests.total;
  return {
    requests: completed,
    rps: completed / (result.duration || options.durationSeconds),
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}
