/** The push server's scenarios, in the order they run. */
import type { Scenario } from '../lib/types.js';
import { pushApnsScenario } from './push-apns.js';
import { pushIngestScenario } from './push-ingest.js';
import { pushLatencyScenario } from './push-latency.js';
import { pushWebPushScenario } from './push-webpush.js';

export const pushScenarios: Scenario[] = [pushIngestScenario, pushApnsScenario, pushLatencyScenario, pushWebPushScenario];
