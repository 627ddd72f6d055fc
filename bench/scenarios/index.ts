import type { Scenario } from '../lib/types.js';

/** Every benchmark scenario, in the order they run. */
export const scenarios: Scenario[] = [];
