/** Time is injected so tests can move it: every part reads `clock.now()`, never `Date.now()` directly. */
export interface Clock {
  /** Wall time in epoch ms: for what is stored or shown. */
  now(): number;
  /**
   * A monotonic reading in ms, for intervals (cool-downs, waits): it does not jump when the wall
   * clock is set (docs/design.md §Workers). A clock without one (a test's) measures intervals with `now`.
   */
  elapsed?(): number;
}

export const systemClock: Clock = { now: () => Date.now(), elapsed: () => performance.now() };

/** The monotonic reading of `clock`, or its wall time where it has none. */
export const elapsedOn = (clock: Clock): number => clock.elapsed?.() ?? clock.now();

/** A clock a test controls. */
export class ManualClock implements Clock {
  constructor(private current: number = Date.parse('2026-03-02T09:00:00Z')) {}
  now(): number {
    return this.current;
  }
  set(ms: number | string): void {
    this.current = typeof ms === 'string' ? Date.parse(ms) : ms;
  }
  advance(ms: number): void {
    this.current += ms;
  }
}

export const toIso = (ms: number): string => new Date(ms).toISOString();
export const toIsoOrNull = (ms: number | null | undefined): string | null => (ms == null ? null : toIso(ms));
