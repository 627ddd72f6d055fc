/**
 * What can become of a claimed job: a provider's answer (providers/provider.ts), or one of the
 * outcomes the worker decides itself before sending — too late, nothing left to send to, tried
 * too often.
 */
import type { PushOutcome } from '../providers/provider.js';

export type JobOutcome =
  | PushOutcome
  /** The deadline passed before the push could be sent: never send late. */
  | { kind: 'expired'; reason: string }
  /** The device, app or message disappeared since the job was written. */
  | { kind: 'canceled'; reason: string }
  /** Attempted MAX_ATTEMPTS times (for example a job that crashed every worker). */
  | { kind: 'failed'; reason: string };
