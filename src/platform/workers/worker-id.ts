import { hostname } from 'node:os';
import { newId } from '../ids.js';

/**
 * Who holds a lease, readable in the database and the logs: host, process, and a random tag so two
 * workers of one process (tests, the bench) differ. `prefix`: `wkr` (dispatcher), `sch` (scheduler)…
 */
export function newWorkerId(prefix: string): string {
  return `${prefix}_${hostname()
    .replace(/[^A-Za-z0-9-]/g, '')
    .slice(0, 20)}_${process.pid}_${newId('', 6).slice(1)}`;
}
