/**
 * A server span per HTTP request (docs/design.md §Traces), continuing the caller's `traceparent`
 * (the dispatcher's webhook, the push server's receipt) or starting a trace. The span is active
 * while the handler runs, so what the handler writes (outbox rows) and starts carries it. Installed
 * only when the service traces: unconfigured, a request meets no hook of ours.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { startSpan, tracing, withActiveSpan, type TracedService, type TraceSpan } from './tracing.js';

export function installRequestSpans(app: FastifyInstance, service: TracedService): void {
  if (!tracing(service)) return;
  const spans = new WeakMap<FastifyRequest, TraceSpan>();
  app.addHook('onRequest', (request, _reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const parent = request.headers.traceparent;
    spans.set(
      request,
      startSpan({
        service,
        name: `${request.method} ${route}`,
        kind: 'server',
        parent: typeof parent === 'string' ? parent : null,
        attributes: { 'http.request.method': request.method, 'http.route': route },
      }),
    );
    done();
  });
  // After the body is read: a body's stream events would run outside the span set in onRequest.
  app.addHook('preHandler', (request, _reply, done) => {
    const span = spans.get(request);
    if (span) withActiveSpan(span, done);
    else done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    const span = spans.get(request);
    if (span) {
      span.set({ 'http.response.status_code': reply.statusCode });
      if (reply.statusCode >= 500) span.fail(`answered ${reply.statusCode}`);
      span.end();
      spans.delete(request);
    }
    done();
  });
  app.addHook('onRequestAbort', (request, done) => {
    const span = spans.get(request);
    span?.fail('the client went away');
    span?.end();
    spans.delete(request);
    done();
  });
}
