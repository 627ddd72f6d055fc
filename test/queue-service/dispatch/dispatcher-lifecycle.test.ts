import { afterEach, expect, it } from 'vitest';
import { Dispatcher } from '../../../src/queue-service/dispatch/dispatcher.js';
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

  async function runDispatcher(options: Partial<typeof TEST_DISPATCH> & { pollIntervalMs?: number } = {}): Promise<Dispatcher> {
    running = new Dispatcher(s.h.deps, { ...TEST_DISPATCH, pollIntervalMs: 600_000, ...options });
    await running.start();
    return running;
  }

  it('delivers as soon as a change commits, without waiting for its poll', async () => {
    s = await startDelivery(engine);
    await runDispatcher();
    const ticket = await bookWithPush(s);
    await s.receiver.waitFor(() => s.receiver.requests.some((r) => r.body.includes(ticket.id)), 'the BOOKED message');
  });

  it('finishes a send on the wire before it stops, and records it', async () => {
    s = await startDelivery(engine);
    s.receiver.behave({ kind: 'slow', delayMs: 400 });
    const dispatcher = await runDispatcher();
    const ticket = await bookWithPush(s);
    await s.receiver.waitFor(() => s.receiver.requests.length > 0, 'the request on the wire');
    running = null;
    await dispatcher.stop();
    const [message] = await messagesOf(s, `ticketId=${ticket.id}`);
    expect(message).toMatchObject({ status: 'delivered', attemptCount: 1 });
  });

  it('aborts what is still running after the grace period and gives it back for a prompt retry', async () => {
    s = await startDelivery(engine);
    s.receiver.behave({ kind: 'hang' });
    const dispatcher = await runDispatcher({ graceMs: 100, responseTimeoutMs: 60_000 });
    const ticket = await bookWithPush(s);
    await s.receiver.waitFor(() => s.receiver.requests.length > 0, 'the request on the wire');
    running = null;
    await dispatcher.stop();
    const [message] = await messagesOf(s, `ticketId=${ticket.id}`);
    expect(message).toMatchObject({ status: 'pending', attemptCount: 1 });
    expect(Date.parse(message.nextAttemptAt) - s.h.clock.now()).toBe(1_000);
    expect((await inspect(s, message.id)).attempts[0]).toMatchObject({ outcome: 'retry_later:network', error: 'aborted: aborted' });
  });
});
