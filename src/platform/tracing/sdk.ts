/**
 * The OpenTelemetry SDK behind tracing.ts, imported only when tracing is configured (docs/design.md
 * §Traces). One tracer provider per service, so a process running both (`queuebell start`) still
 * reports each under its own `service.name`; each exports over OTLP/HTTP (JSON) through a
 * BatchSpanProcessor, so a request never waits for the collector.
 */
import {
  context,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type SpanContext,
} from '@opentelemetry/api';
import { parseTraceParent } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { TracingConfig } from '../config.js';
import type { SpanAttributes, SpanOptions, TracedService, TraceSpan, TracingBackend } from './types.js';

const KINDS = { server: SpanKind.SERVER, client: SpanKind.CLIENT, internal: SpanKind.INTERNAL } as const;

interface Traced {
  provider: NodeTracerProvider;
  tracer: ReturnType<NodeTracerProvider['getTracer']>;
}

const services = new Map<TracedService, Traced>();
/** The context manager (AsyncLocalStorage) and the global provider are registered once per process (or thread). */
let registered = false;

class SdkSpan implements TraceSpan {
  readonly traceparent: string;

  constructor(readonly inner: Span) {
    this.traceparent = formatTraceparent(inner.spanContext());
  }

  set(attributes: SpanAttributes): void {
    this.inner.setAttributes(defined(attributes));
  }

  fail(reason: string): void {
    this.inner.setStatus({ code: SpanStatusCode.ERROR, message: reason });
  }

  end(): void {
    this.inner.end();
  }
}

function formatTraceparent({ traceId, spanId, traceFlags }: SpanContext): string {
  return `00-${traceId}-${spanId}-${traceFlags.toString(16).padStart(2, '0')}`;
}

function defined(attributes: SpanAttributes | undefined): Attributes {
  const kept: Attributes = {};
  for (const [key, value] of Object.entries(attributes ?? {})) if (value !== undefined) kept[key] = value;
  return kept;
}

function remote(traceparent: string): SpanContext | null {
  const parsed = parseTraceParent(traceparent);
  return parsed ? { ...parsed, isRemote: true } : null;
}

function parentContext(parent: string | null | undefined): Context {
  if (parent === undefined) return context.active();
  const span = parent === null ? null : remote(parent);
  return span ? trace.setSpanContext(ROOT_CONTEXT, span) : ROOT_CONTEXT;
}

export const sdkBackend: TracingBackend = {
  start(service: TracedService, config: TracingConfig): void {
    if (services.has(service)) return;
    const provider = new NodeTracerProvider({
      resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: config.serviceName ?? `queuebell-${service}` }),
      spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: config.tracesUrl }))],
    });
    if (!registered) provider.register();
    registered = true;
    services.set(service, { provider, tracer: provider.getTracer('queuebell') });
  },

  async stop(service: TracedService): Promise<void> {
    const traced = services.get(service);
    services.delete(service);
    await traced?.provider.shutdown();
  },

  traces(service: TracedService): boolean {
    return services.has(service);
  },

  startSpan(options: SpanOptions): TraceSpan {
    const { tracer } = services.get(options.service)!;
    const links = (options.links ?? []).flatMap((link) => {
      const span = link === null ? null : remote(link);
      return span ? [{ context: span }] : [];
    });
    const span = tracer.startSpan(
      options.name,
      { kind: KINDS[options.kind], attributes: defined(options.attributes), links },
      parentContext(options.parent),
    );
    return new SdkSpan(span);
  },

  withActive<T>(span: TraceSpan, work: () => T): T {
    return context.with(trace.setSpan(context.active(), (span as SdkSpan).inner), work);
  },

  activeTraceparent(): string | null {
    const span = trace.getSpan(context.active());
    return span ? formatTraceparent(span.spanContext()) : null;
  },

  annotateActive(attributes: SpanAttributes): void {
    trace.getSpan(context.active())?.setAttributes(defined(attributes));
  },
};
