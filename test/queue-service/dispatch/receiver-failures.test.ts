import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { BREAKER } from '../../../src/queue-service/dispatch/policy.js';
import { describeEachEngine } from '../../support/engines.js';
import { expectStatus } from '../support/harness.js';
import { Dispatcher } from '../../../src/queue-service/dispatch/dispatcher.js';
import { TEST_DISPATCH, bookWithPush, inspect, messagesOf, startDelivery, type DeliverySetup } from './support/delivery.js';
import { ok } from './support/receiver.js';

describeEachEngine('receivers that fail', (engine) => {
  let s: DeliverySetup;
  beforeAll(async () => {
    s = await startDelivery(engine, {}, { breaker: { ...BREAKER, failuresToOpen: 1_000 } });
  });
  afterAll(() => s.close());
  beforeEach(() => s.receiver.behave(ok));

  /** Books a ticket, runs the dispatcher once, and returns its (only) message with its attempts. */
  async function deliverOne(): Promise<any> {
    const ticket = await bookWithPush(s);
    await s.dispatcher.drain();
    const [message] = await messagesOf(s, `ticketId=${ticket.ticketId}`);
    return inspect(s, message.id);
  }

  async function again(message: { id: string }, afterMs: number): Promise<any> {
    s.h.clock.advance(afterMs);
    await s.dispatcher.drain();
    return inspect(s, message.id);
  }

  it("honours a 429's Retry-After, then delivers", async () => {
    s.receiver.behave({ kind: 'status', status: 429, headers: { 'retry-after': '30' } });
    const message = await deliverOne();
    expect(message).toMatchObject({ status: 'pending', lastError: 'HTTP 429' });
    expect(message.attempts[0].outcome).toBe('retry_later:throttled');
    expect(Date.parse(message.nextAttemptAt) - s.h.clock.now()).toBe(30_000);
    s.receiver.behave(ok);
    expect((await again(message, 29_000)).attempts).toHaveLength(1);
    expect((await again(message, 1_000)).status).toBe('delivered');
  });

  it('caps a Retry-After that asks for more than five minutes, and slows down after a bare 429', async () => {
    s.receiver.behave({ kind: 'status', status: 429, headers: { 'retry-after': '86400' } });
    const capped = await deliverOne();
    expect(Date.parse(capped.nextAttemptAt) - s.h.clock.now()).toBe(5 * 60_000);
    s.receiver.behave({ kind: 'status', status: 429 });
    const bare = await deliverOne();
    expect(Date.parse(bare.nextAttemptAt) - s.h.clock.now()).toBe(5_000);
  });

  it('retries after a 503 with an HTTP-date Retry-After', async () => {
    const at = new Date(Math.floor(s.h.clock.now() / 1000) * 1000 + 20_000).toUTCString();
    s.receiver.behave({ kind: 'status', status: 503, headers: { 'retry-after': at } });
    const message = await deliverOne();
    expect(message.attempts[0]).toMatchObject({ statusCode: 503, outcome: 'retry_later:throttled' });
    expect(Date.parse(message.nextAttemptAt)).toBe(Date.parse(at));
  });

  it('delivers to a slow receiver that answers within the response timeout', async () => {
    s.receiver.behave({ kind: 'slow', delayMs: 600 });
    const message = await deliverOne();
    expect(message.status).toBe('delivered');
    expect(message.attempts[0].durationMs).toBeGreaterThanOrEqual(550);
  });

  it('gives up on an answer that takes longer than the response timeout, and retries', async () => {
    s.receiver.behave({ kind: 'hang' });
    const message = await deliverOne();
    expect(message).toMatchObject({ status: 'pending', attemptCount: 1 });
    expect(message.attempts[0]).toMatchObject({ statusCode: null, outcome: 'retry_later:timeout' });
    expect(message.attempts[0].error).toContain('response_timeout');
    s.receiver.behave(ok);
    expect((await again(message, 1_000)).status).toBe('delivered');
  });

  it('retries after the receiver resets the connection', async () => {
    s.receiver.behave({ kind: 'reset' });
    const message = await deliverOne();
    expect(message.attempts[0]).toMatchObject({ statusCode: null, outcome: 'retry_later:network' });
    expect(message.attempts[0].error).toContain('connection_reset');
    s.receiver.behave(ok);
    expect((await again(message, 1_000)).status).toBe('delivered');
  });

  it('fails a message the receiver refuses as malformed, without retrying', async () => {
    s.receiver.behave({ kind: 'status', status: 400, body: '{"error":"bad"}' });
    const message = await deliverOne();
    expect(message).toMatchObject({ status: 'failed', attemptCount: 1 });
    expect(message.attempts[0]).toMatchObject({ statusCode: 400, outcome: 'rejected', responseExcerpt: '{"error":"bad"}' });
    await again(message, 60_000);
    expect(s.receiver.requests.filter((r) => r.id === message.id)).toHaveLength(1);
  });

  it('does not follow redirects: a 3xx is a failed attempt', async () => {
    s.receiver.behave((request) =>
      request.path === '/hook' ? { kind: 'status', status: 302, headers: { location: s.receiver.url('/elsewhere') } } : ok,
    );
    const message = await deliverOne();
    expect(message.attempts[0]).toMatchObject({ statusCode: 302, outcome: 'retry_later:refused' });
    expect(s.receiver.requests.some((r) => r.path === '/elsewhere')).toBe(false);
  });

  it('disables a destination that answers 410 Gone, and fails what waits for it', async () => {
    const gone = expectStatus(
      await s.h.admin('POST', `/admin/companies/${s.company.companyId}/webhooks`, { url: s.receiver.url('/gone') }),
      201,
    );
    s.receiver.behave((request) => (request.path === '/gone' ? { kind: 'status', status: 410 } : ok));
    const ticket = await bookWithPush(s);
    await s.dispatcher.drain();
    const [message] = await messagesOf(s, `ticketId=${ticket.ticketId}&destinationId=${gone.id}`);
    expect(message).toMatchObject({ status: 'failed', lastError: 'the receiver answered 410 Gone' });
    const destination = expectStatus(await s.h.admin('GET', `/admin/webhooks/${gone.id}`), 200);
    expect(destination).toMatchObject({ enabled: false, health: 'disabled', disabledAt: new Date(s.h.clock.now()).toISOString() });
    expect(destination.disabledReason).toContain('410 Gone');
    // New ticket changes no longer produce messages for it.
    const later = await bookWithPush(s);
    expect(await messagesOf(s, `ticketId=${later.id}&destinationId=${gone.id}`)).toEqual([]);
    await s.dispatcher.drain();
  });
});

describeEachEngine('webhooks to private addresses', (engine) => {
  let s: DeliverySetup;
  let dispatcher: Dispatcher;
  beforeAll(async () => {
    // Creating a destination at 127.0.0.1 needs QUEUEBELL_ALLOW_PRIVATE_WEBHOOKS; the dispatcher
    // then runs with it off, as in production (a name may resolve to a private address later).
    s = await startDelivery(engine);
    dispatcher = new Dispatcher({ ...s.h.deps, config: { ...s.h.deps.config, allowPrivateWebhooks: false } }, TEST_DISPATCH);
  });
  afterAll(async () => {
    await dispatcher.stop();
    await s.close();
  });

  it('are never sent: the attempt is refused before connecting, and the destination shows why it fails', async () => {
    const ticket = await bookWithPush(s);
    await dispatcher.drain();
    expect(s.receiver.requests).toEqual([]);
    const [message] = await messagesOf(s, `ticketId=${ticket.ticketId}`);
    const inspected = await inspect(s, message.id);
    expect(inspected.attempts[0]).toMatchObject({ statusCode: null, outcome: 'retry_later:blocked' });
    expect(inspected.attempts[0].error).toContain('127.0.0.1 is a loopback address');
    const destination = expectStatus(await s.h.admin('GET', `/admin/webhooks/${s.destination.id}`), 200);
    expect(destination).toMatchObject({ health: 'failing', consecutiveFailures: 1 });
    expect(destination.lastFailureReason).toContain('loopback');
  });
});
