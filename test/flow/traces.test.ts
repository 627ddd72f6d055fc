/**
 * One trace across both services (docs/design.md §Traces): the queue service and the push server
 * run as the CLI runs them, each in its own process with its workers in threads, exporting to an
 * OTLP/HTTP receiver this test starts. One call-next makes one trace whose spans come from both,
 * chained parent to child from the call's request to the provider request and back on the receipt.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakePushProviders, type FakePushProviders } from '../../src/fakes/push-providers.js';
import { OtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver.js';
import { ADMIN_TOKEN, eventually, wireStack } from './support.js';

interface Service {
  child: ChildProcess;
  output: string;
  url: string;
  exited: Promise<void>;
}

async function startCli(command: 'queue-service' | 'push-server', env: Record<string, string>): Promise<Service> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', command], {
    env: {
      ...process.env,
      QUEUEBELL_LOG_LEVEL: 'warn',
      QUEUEBELL_ADMIN_TOKEN: ADMIN_TOKEN,
      QUEUEBELL_MASTER_KEY: 'test-master-key-traces-0123456789abcdef012',
      QUEUEBELL_ALLOW_PRIVATE_WEBHOOKS: '1',
      QUEUEBELL_QUEUE_PORT: '0',
      QUEUEBELL_PUSH_PORT: '0',
      // Spans leave each process within a tenth of a second instead of the SDK's five.
      OTEL_BSP_SCHEDULE_DELAY: '100',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const service = { child, output: '', url: '', exited: new Promise<void>((resolve) => child.once('exit', () => resolve())) };
  child.stdout!.on('data', (chunk) => (service.output += chunk));
  child.stderr!.on('data', (chunk) => (service.output += chunk));
  // A loaded machine takes a while to start two tsx processes.
  const until = Date.now() + 150_000;
  for (;;) {
    const match = service.output.match(/\((?:all)\): (http:\/\/\S+)/);
    if (match) return { ...service, url: match[1]! };
    if (child.exitCode !== null || Date.now() > until) throw new Error(`${command} did not start:\n${service.output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('one trace across both services', () => {
  let receiver: OtlpReceiver;
  let fakes: FakePushProviders;
  const services: Service[] = [];
  const dirs: string[] = [];

  beforeAll(async () => {
    receiver = await OtlpReceiver.start();
    fakes = await startFakePushProviders();
    for (const [command, name] of [
      ['push-server', 'test-push-server'],
      ['queue-service', 'test-queue-service'],
    ] as const) {
      const dir = mkdtempSync(join(tmpdir(), 'qb-traces-'));
      dirs.push(dir);
      services.push(
        await startCli(command, { QUEUEBELL_DATA_DIR: dir, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: name }),
      );
    }
  }, 330_000);

  afterAll(async () => {
    for (const service of services) {
      service.child.kill('SIGTERM');
      await service.exited;
    }
    await fakes?.close();
    await receiver?.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('chains the call-next request, outbox, webhook, ingest, provider request and receipt in one trace', async () => {
    const [push, queue] = services as [Service, Service];
    const s = await wireStack(queue.url, push.url, fakes, { alertPositions: [] });
    const token = 'ab'.repeat(32);
    const device = await s.push('POST', `/v1/apps/${s.appId}/devices`, {
      headers: { 'x-app-key': s.appKey },
      body: { provider: 'apns', token, environment: 'production' },
    });
    expect(device.status).toBe(201);
    const serverKey = (
      await s.queue('POST', `/admin/companies/${s.companyId}/keys`, { token: ADMIN_TOKEN, body: { scopes: ['server'], name: 'b' } })
    ).body.key;
    const booked = await s.queue('POST', `/v2/queues/${s.queueId}/ticket`, {
      key: serverKey,
      body: { pushId: device.body.pushId, sendClientPush: true },
    });
    expect(booked.status).toBe(201);
    // The booking's push sends a receipt too, and receipts of one source waiting together go as one
    // `receipt.batch` in the first one's trace, the others only linked (docs/design.md §Traces): on a
    // loaded machine the booking's receipt and the call's wait together, and the call's trace would
    // end at the provider. The booking's receipt back first leaves the call's receipt on its own
    // (receipt-batch-links.test.ts follows a batch).
    const bookingSpan = await eventually(
      async () => receiver.spans.find((span) => span.name === 'POST /v2/queues/:queueId/ticket'),
      (span) => span !== undefined,
      75_000,
    );
    await eventually(
      async () => receiver.spans.find((span) => span.traceId === bookingSpan!.traceId && span.name === 'POST /v2/receipts/:webhookId'),
      (span) => span !== undefined,
      75_000,
    );
    const called = await s.queue('POST', `/v2/endpoints/${s.endpointId}/next`, { key: s.operatorKey });
    expect(called.status).toBe(200);

    const callSpan = await eventually(
      async () => receiver.spans.find((span) => span.name === 'POST /v2/endpoints/:endpointId/next'),
      (span) => span !== undefined,
      75_000,
    );
    const trace = () => receiver.spans.filter((span) => span.traceId === callSpan!.traceId);
    // The chain back from the receipt's request on the queue service, the last span of the trace, as
    // far as its spans have arrived: each process and thread exports its own, in its own time (the
    // push server's `send receipt` ends after that request is answered, so it often comes later).
    const chainFromReceipt = (spans: ReceivedSpan[]) => {
      const byId = new Map(spans.map((span) => [span.spanId, span]));
      const chain: ReceivedSpan[] = [];
      let span = spans.find((candidate) => candidate.name === 'POST /v2/receipts/:webhookId');
      for (; span; span = span.parentSpanId ? byId.get(span.parentSpanId) : undefined) chain.unshift(span);
      return chain;
    };
    const chain = await eventually(
      async () => chainFromReceipt(trace()),
      (chain) => chain.length > 0 && chain[0]!.parentSpanId === null,
      75_000,
    );
    const spans = trace();
    expect(chain.map((span) => [span.service, span.name.replace(/^POST \/v1\/.*/, 'ingest')])).toEqual([
      ['test-queue-service', 'POST /v2/endpoints/:endpointId/next'],
      ['test-queue-service', 'outbox write'],
      ['test-queue-service', 'deliver webhook'],
      ['test-push-server', 'ingest'],
      ['test-push-server', 'push apns'],
      ['test-push-server', 'send receipt'],
      ['test-queue-service', 'POST /v2/receipts/:webhookId'],
    ]);
    const [request, outbox, webhook, ingest, provider, sent, received] = chain;
    expect(request!.attributes['http.response.status_code']).toBe(200);
    expect(outbox!.attributes).toMatchObject({ 'queuebell.ticket.id': called.body.ticketId, 'queuebell.action': 'TICKET_CALLED' });
    expect(webhook!.attributes).toMatchObject({ 'queuebell.outcome': 'delivered', 'http.response.status_code': 202 });
    expect(ingest!.attributes['http.response.status_code']).toBe(202);
    expect(provider!.attributes).toMatchObject({
      'queuebell.provider': 'apns',
      'queuebell.outcome': 'delivered',
      'http.response.status_code': 200,
    });
    expect(sent!.attributes).toMatchObject({ 'queuebell.receipts': 1, 'http.response.status_code': 200 });
    expect(received!.attributes['http.response.status_code']).toBe(200);
    // A hash stands for the pushId; the pushId itself is in no span.
    expect(provider!.attributes['queuebell.push_id.hash']).toMatch(/^[0-9a-f]{16}$/);
    expect(JSON.stringify(spans)).not.toContain(device.body.pushId);

    // The provider request carried the provider span's traceparent to Apple.
    const delivery = fakes.apns.control.received.find((d) => d.token === token && d.headers.traceparent?.includes(provider!.traceId));
    expect(delivery?.headers.traceparent).toBe(`00-${provider!.traceId}-${provider!.spanId}-01`);
  }, 180_000);
});
