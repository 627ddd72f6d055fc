/**
 * Background threads give way to the API's (docs/design.md §Workers): on a machine short of cores,
 * a booking should not wait for a core behind a delivery. Linux schedules each thread as a task of
 * its own with its own nice value, set through the thread's id; elsewhere the threads of a process
 * share its priority, and this does nothing.
 */
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/**
 * Runs the calling thread `increment` nice steps below the process's main thread (19 at most, and
 * never higher than it already runs: a thread started by a lowered thread inherits its value).
 * Returns the nice value the thread now runs at, or null where a thread cannot have its own or the
 * system would not say which it is (no /proc): a priority is never a reason not to start.
 * Lowering needs no privilege.
 */
export function lowerThisThreadPriority(increment: number): number | null {
  if (process.platform !== 'linux' || increment <= 0) return null;
  try {
    // "/proc/thread-self" links to "<pid>/task/<tid>"; the main thread's id is the pid.
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    const current = getPriority(tid);
    const nice = Math.min(19, Math.max(current, getPriority(process.pid) + increment));
    if (nice === current) return current;
    setPriority(tid, nice);
    return getPriority(tid);
  } catch {
    return null;
  }
}
