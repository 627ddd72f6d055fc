/**
 * Resident memory of every process a scenario starts, read from /proc by the bench process: the RSS
 * when the process reported ready (idle) and the kernel's high-water mark (VmHWM) when it stops or
 * when the scenario ends (peak). Nothing runs inside the measured process. bench/run.ts turns every
 * process watched during a scenario into rows after it ends.
 */
import { readFileSync } from 'node:fs';
import type { BenchRow } from './types.js';

export interface MemoryTargets {
  idleMB?: number;
  peakMB?: number;
}

interface Watched {
  label: string;
  targets: MemoryTargets;
  pid: number;
  idleMB: number;
  /** When the idle figure was read after a settling wait: the RSS at ready, and the wait. */
  atReady: { rssMB: number; settledMs: number } | null;
  peakMB: number;
  timer: NodeJS.Timeout;
}

let watched: Watched[] = [];

/** VmRSS and VmHWM of a live process in MB, or null once it is gone (or off Linux). */
export function readMemory(pid: number): { rssMB: number; hwmMB: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) / 1024;
    return { rssMB: field('VmRSS'), hwmMB: field('VmHWM') };
  } catch {
    return null;
  }
}

/**
 * Starts watching `pid` (call it when the process is ready and idle). The high-water mark is read
 * every 250 ms and once more at `sampleBeforeExit`, so a process that ends still has its peak.
 */
export function watchMemory(
  label: string,
  pid: number,
  targets: MemoryTargets = {},
  atReady: Watched['atReady'] = null,
): { sampleBeforeExit(): void } {
  const first = readMemory(pid);
  const entry: Watched = {
    label,
    targets,
    pid,
    atReady,
    idleMB: first?.rssMB ?? NaN,
    peakMB: first?.hwmMB ?? NaN,
    timer: setInterval(() => sample(entry), 250).unref(),
  };
  watched.push(entry);
  return { sampleBeforeExit: () => sample(entry) };
}

function sample(entry: Watched): void {
  const now = readMemory(entry.pid);
  // A process that has exited but is not yet reaped still has a status file, without memory lines.
  if (now && !Number.isNaN(now.hwmMB)) entry.peakMB = Math.max(Number.isNaN(entry.peakMB) ? 0 : entry.peakMB, now.hwmMB);
  else clearInterval(entry.timer);
}

/** One row per process watched since the last call (idle and peak RSS), and forgets them. */
export function takeMemoryRows(scenario: string): BenchRow[] {
  const rows = watched.map((entry) => {
    sample(entry);
    clearInterval(entry.timer);
    const { idleMB, peakMB } = entry.targets;
    const judged = idleMB !== undefined || peakMB !== undefined;
    return {
      scenario,
      metric: `RSS peak: ${entry.label}`,
      value: Math.round(entry.peakMB),
      unit: entry.atReady
        ? `MB (idle ${Math.round(entry.idleMB)} MB after ${entry.atReady.settledMs / 1000} s without work; ${Math.round(entry.atReady.rssMB)} MB at ready)`
        : `MB (idle ${Math.round(entry.idleMB)} MB)`,
      ...(judged
        ? {
            target: [peakMB === undefined ? '' : `peak <= ${peakMB}`, idleMB === undefined ? '' : `idle <= ${idleMB}`]
              .filter(Boolean)
              .join(', '),
            pass: (peakMB === undefined || entry.peakMB <= peakMB) && (idleMB === undefined || entry.idleMB <= idleMB),
          }
        : {}),
    };
  });
  watched = [];
  return rows;
}
