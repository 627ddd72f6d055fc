import type { Scenario } from '../lib/types.js';
import { analyticsScenario } from './analytics.js';
import { bookingScenario } from './booking.js';
import { defaultModeScenarios } from './default-mode.js';
import { fallbackScenario } from './fallback.js';
import { deliveryScenarios } from './delivery.js';
import { edgeChecksScenario } from './edge-checks.js';
import { endToEndScenario } from './end-to-end.js';
import { journalCostScenario } from './journal-cost.js';
import { linebertyQueriesScenario } from './lineberty-queries.js';
import { pgScaleScenario } from './pg-scale.js';
import { pushScenarios } from './push-scenarios.js';
import { pushReceiptsScenario } from './push-receipts.js';
import { streamsScenario } from './streams.js';
import { sweepScenario } from './sweep.js';
import { takeoverScenario } from './takeover.js';
import { tracesScenario } from './traces.js';

/** Every benchmark scenario, in the order they run. */
export const scenarios: Scenario[] = [
  bookingScenario,
  edgeChecksScenario,
  ...pushScenarios,
  pushReceiptsScenario,
  ...deliveryScenarios,
  endToEndScenario,
  takeoverScenario,
  journalCostScenario,
  ...defaultModeScenarios,
  streamsScenario,
  sweepScenario,
  analyticsScenario,
  linebertyQueriesScenario,
  pgScaleScenario,
  fallbackScenario,
  tracesScenario,
];
