/**
 * "Delivery stalled" (docs/design.md §Faults): a process that runs a dispatcher answers /readyz 503
 * naming the stall while messages have been due longer than QUEUEBELL_DELIVERY_STALL_SECONDS and no
 * dispatcher has recorded an outcome for as long; /metrics shows the oldest due message's age.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { HttpServer } from '../../../src/platform/http/server.js';
import { buildQueueApp } from '../../../src/queue-service/app.js';
import { Dispatcher } from '../../../src/queue-service/dispatch/dispatcher.js';
import { describeEachEngine } from '../../support/engines.js';
import { setUpCompany, type TestCompany } from '../support/company.js';
import { expectStatus, QueueHarness } from '../support/harness.js';
import { TEST_DISPATCH } from './support/delivery.js';

describeEachEngine('delivery stalled', (engine) => {
  let h: QueueHarness;
  let company: TestCompany;
  let withDispatcher: HttpServer;
  let base: string;

  beforeAll(async () => {
    h = await QueueHarness.start(engine, { QUEUEBELL_DELIVERY_STALL_SECONDS: '60' });
    company = await setUpCompany(h);
    // The process that runs a dispatcher (role all) is the one whose readiness includes the stall.
    withDispatcher = await buildQueueApp(h.deps, { runsDispatcher: true });
    await withDispatcher.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(withDispatcher.server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await withDispatcher.close();
    await h.close();
  });

  const readyz = async () => {
    const response = await fetch(`${base}/readyz`);
    return { status: response.status, body: await response.json() };
  };
  const gauges = async () => {
    const text = await (await fetch(`${base}/metrics`)).text();
    const value = (name: string) => Number(new RegExp(`^${name}\\{[^}]*\\} (\\S+)$`, 'm').exec(text)?.[1]);
    return { stalled: value('queuebell_delivery_stalled'), oldestAge: value('queuebell_delivery_oldest_due_message_age_seconds') };
  };

  it('says ready while nothing waits or a message has waited less than the allowance', async () => {
    expect((await readyz()).status).toBe(200);
    const user = expectStatus(await h.call('POST', '/v2/users', { key: company.bookingKey }), 201);
    expectStatus(
      await h.call('POST', `/v2/queues/${company.queueId}/ticket`, {
        key: company.bookingKey,
        token: user.jwtToken,
        body: { pushId: 'push-stall', sendClientPush: true },
      }),
      201,
    );
    h.clock.advance(59_000);
    expect((await readyz()).status).toBe(200);
    expect(await gauges()).toEqual({ stalled: 0, oldestAge: 59 });
  });

  it('answers 503 naming the stall once messages wait past the allowance with no dispatcher progress', async () => {
    h.clock.advance(2_000);
    const reply = await readyz();
    expect(reply.status).toBe(503);
    expect(reply.body.error.code).toBe('NOT_READY');
    expect(reply.body.error.message).toBe(
      'Not ready: delivery stalled: messages have waited 61 s and no dispatcher has recorded an outcome ever.',
    );
    expect(await gauges()).toEqual({ stalled: 1, oldestAge: 61 });
  });

  it('is ready again once a dispatcher records outcomes, and stalls again when it stops for longer than the allowance', async () => {
    const dispatcher = new Dispatcher(h.deps, TEST_DISPATCH);
    try {
      await dispatcher.drain(); // the destination is a dead port: a failed attempt is still progress
    } finally {
      await dispatcher.stop();
    }
    expect((await readyz()).status).toBe(200);
    expect((await gauges()).stalled).toBe(0);
    h.clock.advance(120_000);
    const reply = await readyz();
    expect(reply.status).toBe(503);
    expect(reply.body.error.message).toMatch(
      /^Not ready: delivery stalled: messages have waited \d+ s and no dispatcher has recorded an outcome for 120 s\.$/,
    );
  });
});
