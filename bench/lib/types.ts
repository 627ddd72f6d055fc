export interface BenchRow {
  scenario: string;
  metric: string;
  value: number;
  unit: string;
  /** The same measure on the ceiling (bare route, bare loop) in the same run. */
  ceiling?: number;
  /** value / ceiling. */
  ratio?: number;
  /** Human-readable target, e.g. ">= 5000/s". */
  target?: string;
  pass?: boolean;
}

export interface BenchContext {
  progress(message: string): void;
  /** Shortens every scenario (CI smoke runs): durations and counts scale by this factor. */
  scale: number;
}

export interface Scenario {
  name: string;
  description: string;
  run(ctx: BenchContext): Promise<BenchRow[]>;
}

export function atLeast(value: number, min: number): { target: string; pass: boolean } {
  return { target: `>= ${min}`, pass: value >= min };
}

export function atMost(value: number, max: number): { target: string; pass: boolean } {
  return { target: `<= ${max}`, pass: value <= max };
}
