/** The shapes tracing.ts offers and sdk.ts implements (docs/design.md §Traces). */
import type { TracingConfig } from '../config.js';

export type TracedService = 'queue-service' | 'push-server';
export type SpanKind = 'server' | 'client' | 'internal';
export type SpanAttributes = Record<string, string | number | boolean | string[] | undefined>;

export interface SpanOptions {
  service: TracedService;
  name: string;
  kind: SpanKind;
  /**
   * The span's parent as a `traceparent`: a string continues that trace (a stored or received one;
   * an unreadable one starts a new trace), null starts a new trace, undefined: the active span.
   */
  parent?: string | null;
  attributes?: SpanAttributes;
  /** Other traces this span serves (a batch of receipts): each a `traceparent`. */
  links?: readonly (string | null)[];
}

export interface TraceSpan {
  /** This span as the next hop's parent; null when tracing is off. */
  readonly traceparent: string | null;
  set(attributes: SpanAttributes): void;
  /** Marks the span as failed (OpenTelemetry status ERROR) with why. */
  fail(reason: string): void;
  end(): void;
}

/** What sdk.ts provides once loaded. */
export interface TracingBackend {
  start(service: TracedService, config: TracingConfig): void;
  stop(service: TracedService): Promise<void>;
  traces(service: TracedService): boolean;
  startSpan(options: SpanOptions): TraceSpan;
  /** Runs `work` with `span` active, so spans and outbox rows written inside take it as parent. */
  withActive<T>(span: TraceSpan, work: () => T): T;
  activeTraceparent(): string | null;
  /** Adds attributes to the active span, if any. */
  annotateActive(attributes: SpanAttributes): void;
}
