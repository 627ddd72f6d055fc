/**
 * The interface every delivery channel implements (webhook, SMS, e-mail), in two stages:
 * `prepare` builds the exact request from a claimed message without any I/O (and may already
 * decide it cannot be sent), `send` puts it on the wire and turns the answer into an outcome.
 */
import type { Message, MessageChannel } from '../../db/schema.js';
import type { DeliveryOutcome } from '../outcome.js';
import type { Destination } from '../destinations.js';

export interface PrepareContext {
  now: number;
  /** The webhook destination of the message, when it still exists. */
  destination?: Destination;
}

export interface Prepared {
  message: Message;
}

export type NotSent = Extract<DeliveryOutcome, { kind: 'not_sent' }>;

export interface Channel<P extends Prepared = Prepared> {
  readonly name: MessageChannel;
  prepare(message: Message, context: PrepareContext): P | NotSent;
  send(prepared: P): Promise<DeliveryOutcome>;
  /** Shutdown after the grace period: ends the sends still on the wire (each then answers a network failure). */
  abortAll(): void;
  close(): Promise<void>;
}

export function isNotSent(value: Prepared | NotSent): value is NotSent {
  return 'kind' in value;
}

export function notSent(status: NotSent['status'], error: string): NotSent {
  return { kind: 'not_sent', status, error };
}
