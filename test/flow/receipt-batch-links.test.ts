/**
 * Two traces, one receipt batch (docs/design.md §Traces, §Receipts): receipts of one source that wait
 * together go as one `receipt.batch` POST, whose span continues the first receipt's trace and links
 * the other's. The push server runs as role api first — it takes messages and writes their receipts
 * but sends none — so both receipts wait; the push worker started next sends them in one claim.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../support/engines.js';
import { OtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver.js';
import { ADMIN_TOKEN, eventually, startStack, type Stack } from './support.js';

const BOOKING = 'POST /v2/queues/:queueId/ticket';
const RECEIVED = 'POST /v2/receipts/:webhookId';

describeEachEngine('a receipt batch across two traces', (engine) => {
  let receiver: OtlpReceiver;
  let s: Stack;
  let serverKey: string;
  const scheduleDelay = process.env.OTEL_BSP_SCHEDULE_DELAY;

  beforeAll(async () => {
    receiver = await OtlpReceiver.start();
    // Spans leave the process within a tenth of a second instead of the SDK's five.
    process.env.OTEL_BSP_SCHEDULE_DELAY = '100';
    s = await startStack(engine, { alertPositions: [] }, { env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url }, pushRole: 'api' });
    const key = await s.queue('POST', `/admin/companies/${s.companyId}/keys`, {
      token: ADMIN_TOKEN,
      body: { scopes: ['server'], name: 'b' },
    });
    serverKey = key.body.key;
  });

  afterAll(async () => {
    await s?.close();
    await receiver?.close();
    if (scheduleDelay === undefined) delete process.env.OTEL_BSP_SCHEDULE_DELAY;
    else process.env.OTEL_BSP_SCHEDULE_DELAY = scheduleDelay;
  });

  it('sends both receipts in one POST whose span links the other trace, and the queue service names both', async () => {
    // Two bookings, each pushing to a pushId the push server does not know: ingest writes an
    // `unknown_push_id` receipt for each, in the ingest request's span (docs/design.md §Receipts).
    for (const name of ['first', 'second']) {
      const booked = await s.queue('POST', `/v2/queues/${s.queueId}/ticket`, {
        key: serverKey,
        body: { pushId: `pid_${name}_${Date.now()}`, sendClientPush: true },
      });
      expect(booked.status).toBe(201);
    }
    const inTrace = (traceId: string) => receiver.spans.filter((span) => span.traceId === traceId);
    const ingestOf = (traceId: string) =>
      inTrace(traceId).find((span) => span.service === 'queuebell-push-server' && span.name.startsWith('POST /v1/'));
    // Both messages ingested (their receipts written and waiting) before anything can send them.
    const bookings = await eventually(
      async () => receiver.spans.filter((span) => span.name === BOOKING),
      (spans) => spans.length === 2 && spans.every((span) => ingestOf(span.traceId) !== undefined),
      30_000,
    );
    expect(bookings[0]!.traceId).not.toBe(bookings[1]!.traceId);
    expect(receiver.spans.filter((span) => span.name === 'send receipt')).toEqual([]);

    await s.startPushWorker();
    const received = await eventually(
      async () => receiver.spans.filter((span) => span.name === RECEIVED),
      (spans) => spans.length > 0 && receiver.spans.some((span) => span.name === 'send receipt'),
      30_000,
    );
    // Whatever else was to come has had time to arrive.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(receiver.spans.filter((span) => span.name === RECEIVED)).toHaveLength(received.length);

    const sent = receiver.spans.filter((span) => span.name === 'send receipt');
    expect(sent).toHaveLength(1);
    const batch = sent[0]!;
    expect(batch.attributes).toMatchObject({ 'queuebell.receipts': 2, 'http.response.status_code': 200 });
    expect(String(batch.attributes['queuebell.receipt.id'])).toMatch(/^rcb_rcp_.+_2$/);

    // The batch continues one message's trace, from the ingest span that wrote its receipt …
    const traces = bookings.map((span) => span.traceId);
    expect(traces).toContain(batch.traceId);
    const own = ingestOf(batch.traceId)!;
    expect(batch.parentSpanId).toBe(own.spanId);
    // … and links the other's, at the ingest span that wrote the other receipt.
    const otherTrace = traces.find((traceId) => traceId !== batch.traceId)!;
    const other = ingestOf(otherTrace)!;
    expect(batch.links).toEqual([{ traceId: otherTrace, spanId: other.spanId }]);

    // One request on the queue service took the batch, in the batch's trace, and names both messages.
    expect(received).toHaveLength(1);
    const receiving = received[0]!;
    expect(receiving.service).toBe('queuebell-queue-service');
    expect(receiving.traceId).toBe(batch.traceId);
    expect(receiving.parentSpanId).toBe(batch.spanId);
    const webhookIdOf = (traceId: string) =>
      inTrace(traceId).find((span: ReceivedSpan) => span.name === 'deliver webhook')?.attributes['queuebell.webhook_id'];
    expect(receiving.attributes).toMatchObject({ 'http.response.status_code': 200, 'queuebell.receipts': 2 });
    expect([...(receiving.attributes['queuebell.webhook_ids'] as string[])].sort()).toEqual(traces.map(webhookIdOf).sort());
    expect(traces.map(webhookIdOf).every((id) => typeof id === 'string')).toBe(true);
  }, 90_000);
});
