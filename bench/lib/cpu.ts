/** CPU time a process has used so far (user + system, µs), read from /proc by the bench process. */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let ticksPerSecond: number | null = null;

export function cpuMicros(pid: number): number {
  return statMicros(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

/** User + system time of a /proc stat line (a process's or a thread's), in µs. */
function statMicros(stat: string): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  // The fields after the command name, which is in parentheses and may contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks / ticksPerSecond) * 1e6;
}

/** CPU time (µs) each thread of a process has used so far, by thread id; the main thread's id is the pid. */
export function threadCpuMicros(pid: number): Map<number, number> {
  const byThread = new Map<number, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      byThread.set(Number(tid), statMicros(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')));
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return byThread;
}

/**
 * What the threads of a process used between two readings, in % of one core over `seconds`: the
 * main thread's and the busiest other thread's (a worker, a checkpointer, V8's or libuv's helpers).
 */
export function threadShares(
  before: Map<number, number>,
  after: Map<number, number>,
  pid: number,
  seconds: number,
): { main: number; busiestOther: number } {
  const share = (tid: number) => ((after.get(tid) ?? 0) - (before.get(tid) ?? 0)) / (seconds * 1e4);
  const others = [...after.keys()].filter((tid) => tid !== pid).map(share);
  return { main: share(pid), busiestOther: Math.max(0, ...others) };
}

/** The whole machine's CPU time so far, from /proc/stat's first line (in clock ticks): all of it, and the idle part (idle + iowait). */
export interface MachineTicks {
  total: number;
  idle: number;
}

export function machineTicks(): MachineTicks {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  return { total: fields.reduce((sum, value) => sum + value, 0), idle: fields[3]! + fields[4]! };
}

/**
 * How busy every core was between two readings, in %: whether a latency was measured on a machine
 * with cores to spare or on one where every thread queued for a core (the load generator and the
 * fakes included, since they share the machine).
 */
export function machineBusyPercent(before: MachineTicks, after: MachineTicks): number {
  const total = after.total - before.total;
  return total > 0 ? (100 * (total - (after.idle - before.idle))) / total : 0;
}
