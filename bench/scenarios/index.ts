import type { Scenario } from '../lib/types.js';
import { bookingScenario } from './booking.js';

/** Every benchmark scenario, in the order they run. */
export const scenarios: Scenario[] = [bookingScenario];
scenarios.push(...(await import('./push-scenarios.js')).pushScenarios);
scenarios.push(...(await import('./delivery.js')).deliveryScenarios);
scenarios.push((await import('./streams.js')).streamsScenario);
scenarios.push((await import('./sweep.js')).sweepScenario);
