/**
 * Unconfigured, tracing costs nothing (docs/design.md §Traces): both services start, take requests
 * and deliver without loading a module of the OpenTelemetry SDK, and nothing reaches a collector.
 * The same probe sees the SDK once tracing starts, so it can fail.
 */
import { createRequire } from 'node:module';
import { afterAll, describe, expect, it } from 'vitest';
import { startTracing, stopTracing } from '../../src/platform/tracing/tracing.js';
import { ADMIN_TOKEN, eventually, startStack, type Stack } from '../flow/support.js';
import { OtlpReceiver } from '../support/otlp-receiver.js';

const sdkModules = () => Object.keys(createRequire(import.meta.url).cache).filter((path) => path.includes('@opentelemetry/sdk-trace'));

describe('tracing left unconfigured', () => {
  let stack: Stack | null = null;
  let receiver: OtlpReceiver | null = null;
  afterAll(async () => {
    await stack?.close();
    await receiver?.close();
  });

  it('loads no SDK module while both services take requests', async () => {
    receiver = await OtlpReceiver.start();
    stack = await startStack('sqlite', { alertPositions: [] });
    const s = stack;
    const device = await s.push('POST', `/v1/apps/${s.appId}/devices`, {
      headers: { 'x-app-key': s.appKey },
      body: { provider: 'apns', token: 'cd'.repeat(32), environment: 'production' },
    });
    const key = (
      await s.queue('POST', `/admin/companies/${s.companyId}/keys`, { token: ADMIN_TOKEN, body: { scopes: ['server'], name: 'b' } })
    ).body.key;
    const booked = await s.queue('POST', `/v2/queues/${s.queueId}/ticket`, {
      key,
      body: { pushId: device.body.pushId, sendClientPush: true },
    });
    expect(booked.status).toBe(201);
    expect((await s.queue('POST', `/v2/endpoints/${s.endpointId}/next`, { key: s.operatorKey })).status).toBe(200);
    // Through the dispatcher, ingest and the push worker to the provider, twice (booked, called).
    await eventually(
      async () => s.fakes.apns.control.received.length,
      (n) => n === 2,
    );
    expect(sdkModules()).toEqual([]);
    expect(receiver.requests).toEqual([]);
  });

  it('sees the SDK loaded once a service starts tracing', async () => {
    await startTracing('queue-service', { tracesUrl: `${receiver!.url}/v1/traces`, serviceName: 'probe' });
    expect(sdkModules().length).toBeGreaterThan(0);
    await stopTracing('queue-service');
  });
});
