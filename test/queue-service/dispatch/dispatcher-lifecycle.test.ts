import { afterEach, expect, it } from 'vitest';
import { systemClock } from '../../../src/platform/clock.js';
import { Dispatcher, type DispatcherOptions } from '../../../src/queue-service/dispatch/dispatcher.js';
import { expectStatus } from '../support/harness.js';
import { describeEachEngine } from '../../support/engines.js';
import { TEST_DISPATCH, bookWithPush, inspect, messagesOf, startDelivery, type DeliverySetup } from './support/delivery.js';

describeEachEngine('dispatcher lifecycle', (engine) => {
  let s: DeliverySetup;
  let running: Dispatcher | null = null;
  afterEach(async () => {
    await running?.stop();
    running = null;
    await s.close();
  });

  async function runDispatcher(options: Partial<DispatcherOptions> = {}): Promise<Dispatcher> {
    running = new Dispatcher(s.h.deps, { ...TEST_DISPATCH, pollIntervalMs: 600_000, ...options });
    await running.start();
    return running;
  }

  it('delivers as soon as a change commits, without waiting for its poll', async () => {
    s = await startDelivery(engine);
    await runDispatcher();
    const ticket = await bookWithPush(s);
    await s.receiver.waitFor(() => s.receiver.requests.some((r) => r.body.includes(ticket.ticketId)), 'the BOOKED message');
  });

  it('finishes a send on the wire before it stops, and records it', async () => {
    s = await startDelivery(engine);
    s.receiver.behave({ kind: 'slow', delayMs: 400 });
    const dispatcher = await runDispatcher();
    const ticket = await bookWithPush(s);
    await s.receiver.waitFor(() => s.receiver.requests.length > 0, 'the request on the wire');
    running = null;
    await dispatcher.stop();
    const [message] = await messagesOf(s, `ticketId=${ticket.ticketId}`);
    expect(message).toMatchObject({ status: 'delivered', attemptCount: 1 });
  });

  it('gives back at once the claims it has not started sending when it stops', async () => {
    s = await startDelivery(engine);
    s.receiver.behave({ kind: 'slow', delayMs: 300 });
    const dispatcher = await runDispatcher({ maxInFlightPerRoute: 1 });
    const tickets = [await bookWithPush(s), await bookWithPush(s), await bookWithPush(s)];
    await s.receiver.waitFor(() => s.receiver.requests.length > 0, 'the first request on the wire');
    running = null;
    await dispatcher.stop();
    const statuses = await Promise.all(tickets.map(async (t) => (await messagesOf(s, `ticketId=${t.ticketId}`))[0]));
    expect(statuses.filter((m) => m.status === 'delivered')).toHaveLength(s.receiver.requests.length);
    const released = statuses.filter((m) => m.status === 'pending');
    expect(released.length).toBeGreaterThan(0);
    for (const message of released)
      expect(message).toMatchObject({ attemptCount: 0, nextAttemptAt: new Date(s.h.clock.now()).toISOString() });
    const leases = await s.h.db
      .selectFrom('messages')
      .select('lease_owner')
      .where(
        'id',
        'in',
        released.map((m) => m.id),
      )
      .execute();
    expect(leases.every((row) => row.lease_owner === null)).toBe(true);
  });

  it('aborts what is still running after the grace period and gives it back for a prompt retry', async () => {
    s = await startDelivery(engine);
    s.receiver.behave({ kind: 'hang' });
    const dispatcher = await runDispatcher({ graceMs: 100, responseTimeoutMs: 60_000 });
    const ticket = await bookWithPush(s);
    await s.receiver.waitFor(() => s.receiver.requests.length > 0, 'the request on the wire');
    running = null;
    await dispatcher.stop();
    const [message] = await messagesOf(s, `ticketId=${ticket.ticketId}`);
    expect(message).toMatchObject({ status: 'pending', attemptCount: 1 });
    expect(Date.parse(message.nextAttemptAt) - s.h.clock.now()).toBe(1_000);
    expect((await inspect(s, message.id)).attempts[0]).toMatchObject({ outcome: 'retry_later:network', error: 'aborted: aborted' });
  });

  it('keeps a slow destination from taking every slot while the others wait behind its backlog', async () => {
    s = await startDelivery(engine);
    // Real time here: the slow destination is recognised by how long its answers take.
    s.h.deps.clock = systemClock;
    expectStatus(await s.h.admin('POST', `/admin/companies/${s.company.companyId}/webhooks`, { url: s.receiver.url('/slow') }), 201);
    s.receiver.behave((request) => (request.path === '/slow' ? { kind: 'slow', delayMs: 300 } : { kind: 'status', status: 200 }));
    for (let i = 0; i < 16; i++) await bookWithPush(s);
    await runDispatcher({ maxInFlight: 8, maxInFlightPerRoute: 2, maxHeldPerRoute: 4, slowRouteMs: 150, pollIntervalMs: 50 });
    const arrived = (path: string) => s.receiver.requests.filter((r) => r.path === path && r.answer === 200).length;
    await s.receiver.waitFor(() => arrived('/hook') === 16, 'every message of the fast destination');
    // Sixteen slow messages two at a time take 2.4 s; the fast destination did not wait for them.
    expect(arrived('/slow')).toBeLessThanOrEqual(8);
  });
});
