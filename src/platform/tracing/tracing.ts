/**
 * Traces across both services (docs/design.md §Traces): a W3C `traceparent` goes from the request
 * that changed a ticket, through its outbox row, the webhook, ingest and the push job, to the
 * provider, and back on the receipt. Routes and workers use only this module. The OpenTelemetry SDK
 * (sdk.ts) is imported only when `startTracing` is given a configuration: unconfigured, every call
 * here is one null check and the SDK's modules are never loaded.
 */
import { createHash } from 'node:crypto';
import type { TracingConfig } from '../config.js';
import type { SpanAttributes, SpanOptions, TracedService, TraceSpan, TracingBackend } from './types.js';

export type { SpanOptions, TracedService, TraceSpan } from './types.js';

/** The span of an untraced service: callers that build attributes check `tracing()` first and use this otherwise. */
export const NO_SPAN: TraceSpan = { traceparent: null, set() {}, fail() {}, end() {} };

/** Null until a service starts tracing: the one check every call pays. */
let backend: TracingBackend | null = null;

export async function startTracing(service: TracedService, config: TracingConfig | null): Promise<void> {
  if (config === null) return;
  backend ??= (await import('./sdk.js')).sdkBackend;
  backend.start(service, config);
}

/** Exports what is still buffered and stops this service's exporter; nothing when tracing is off. */
export async function stopTracing(service: TracedService): Promise<void> {
  await backend?.stop(service);
}

export function tracing(service: TracedService): boolean {
  return backend?.traces(service) ?? false;
}

/** A span the caller ends; NO_SPAN when tracing is off. */
export function startSpan(options: SpanOptions): TraceSpan {
  return backend === null || !backend.traces(options.service) ? NO_SPAN : backend.startSpan(options);
}

/** `work` inside a span that is active while it runs and ends with it; a throw marks it failed. */
export async function inSpan<T>(options: SpanOptions, work: (span: TraceSpan) => Promise<T>): Promise<T> {
  if (backend === null || !backend.traces(options.service)) return work(NO_SPAN);
  const active = backend;
  const span = active.startSpan(options);
  try {
    return await active.withActive(span, () => work(span));
  } catch (error) {
    span.fail(error instanceof Error ? error.message : String(error));
    throw error;
  } finally {
    span.end();
  }
}

/** Runs `work` with `span` active (the request span around a route's handler). */
export function withActiveSpan<T>(span: TraceSpan, work: () => T): T {
  return backend === null || span === NO_SPAN ? work() : backend.withActive(span, work);
}

/** The active span as a `traceparent`, to store with work another process picks up (an outbox row). */
export function activeTraceparent(): string | null {
  return backend === null ? null : backend.activeTraceparent();
}

/** Adds to the active span (a route's request span) what only the handler learns, such as what a body held. */
export function annotateActiveSpan(attributes: SpanAttributes): void {
  backend?.annotateActive(attributes);
}

/** A request's headers with `traceparent` for the next hop; the same object when there is no span. */
export function withTraceHeader<H extends Record<string, string>>(headers: H, span: TraceSpan): H {
  return span.traceparent === null ? headers : { ...headers, traceparent: span.traceparent };
}

/**
 * Ends the span of a request to another party with what came of it: `outcome` is our typed outcome
 * of the answer, `failure` why it did not succeed (null when it did).
 */
export function endRequestSpan(span: TraceSpan, outcome: string, status: number | null | undefined, failure: string | null): void {
  if (span === NO_SPAN) return;
  span.set({ 'queuebell.outcome': outcome, 'http.response.status_code': status ?? undefined });
  if (failure !== null) span.fail(failure);
  span.end();
}

/** A pushId is a bearer of someone's device: spans carry a short hash of it, never the pushId. */
export function pushIdHash(pushId: string): string {
  return createHash('sha256').update(pushId).digest('hex').slice(0, 16);
}
