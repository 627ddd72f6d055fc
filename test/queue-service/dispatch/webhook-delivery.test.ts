import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { describeEachEngine } from '../../support/engines.js';
import { expectStatus } from '../support/harness.js';
import { bookWithPush, inspect, messagesOf, moveTicket, startDelivery, type DeliverySetup } from './support/delivery.js';
import { ok, type Received } from './support/receiver.js';

/**
 * Verifies with the reference library as a receiver would at `atMs`: the library compares the
 * signed timestamp with Date.now(), so the test's clock is lent to Date for the call.
 */
function verifyAt(secret: string, request: Received, atMs: number): unknown {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(atMs);
  try {
    return new Webhook(secret).verify(request.body, request.headers as Record<string, string>);
  } finally {
    vi.useRealTimers();
  }
}

describeEachEngine('webhook delivery', (engine) => {
  let s: DeliverySetup;
  beforeAll(async () => {
    s = await startDelivery(engine);
  });
  afterAll(() => s.close());

  it('delivers each ticket change as a signed webhook that the standardwebhooks library verifies', async () => {
    const ticket = await bookWithPush(s, 'push-verify');
    await s.dispatcher.drain();
    await moveTicket(s, ticket.ticketId, 200);
    await s.dispatcher.drain();

    const messages = (await messagesOf(s, `ticketId=${ticket.ticketId}&destinationId=${s.destination.id}`)).reverse();
    expect(messages.map((m) => [m.action, m.status])).toEqual([
      ['TICKET_BOOKED', 'delivered'],
      ['TICKET_CALLED', 'delivered'],
    ]);
    for (const message of messages) {
      const received = s.receiver.requests.filter((r) => r.id === message.id);
      expect(received).toHaveLength(1);
      const [request] = received;
      // Verified by the reference implementation of the specification, not by our own code.
      expect(verifyAt(s.destination.secret, request!, s.h.clock.now())).toEqual(message.body);
      const stored = await s.h.db.selectFrom('messages').select('body').where('id', '=', message.id).executeTakeFirstOrThrow();
      expect(request!.body).toBe(stored.body);
      expect(request!.headers['content-type']).toBe('application/json');
      expect(request!.deliverBy).toBe(message.deliverBy);
      expect(request!.timestamp).toBe(Math.floor(s.h.clock.now() / 1000));
    }
    expect(messages[1].body).toMatchObject({
      pushId: 'push-verify',
      message: { action: 'TICKET_CALLED', data: { ticketId: ticket.ticketId, state: 200 } },
    });
  });

  it('records every attempt with its time, duration, status and the answer', async () => {
    s.receiver.behave({ kind: 'status', status: 200, body: 'x'.repeat(10_000) });
    const ticket = await bookWithPush(s);
    await s.dispatcher.drain();
    s.receiver.behave(ok);
    const [message] = await messagesOf(s, `ticketId=${ticket.ticketId}`);
    const inspected = await inspect(s, message.id);
    expect(inspected.status).toBe('delivered');
    expect(inspected.deliveredAt).toBe(new Date(s.h.clock.now()).toISOString());
    expect(inspected.attempts).toHaveLength(1);
    const [attempt] = inspected.attempts;
    expect(attempt).toMatchObject({
      startedAt: new Date(s.h.clock.now()).toISOString(),
      statusCode: 200,
      outcome: 'delivered',
      error: null,
    });
    expect(attempt.durationMs).toBeGreaterThanOrEqual(0);
    expect(attempt.responseExcerpt).toBe('x'.repeat(4096));
  });

  it('keeps the webhook-id and signs a fresh timestamp on every retry', async () => {
    const seen = new Set<string>();
    s.receiver.behave((request) => {
      if (seen.has(request.id)) return ok;
      seen.add(request.id);
      return { kind: 'status', status: 500, body: 'boom' };
    });
    const ticket = await bookWithPush(s);
    await s.dispatcher.drain();
    const [message] = await messagesOf(s, `ticketId=${ticket.ticketId}`);
    expect(message).toMatchObject({ status: 'pending', attemptCount: 1, lastError: 'HTTP 500' });
    // First retry after one second (RETRY.firstDelayMs), jitter pinned to the middle by the test.
    expect(Date.parse(message.nextAttemptAt) - s.h.clock.now()).toBe(1_000);
    s.h.clock.advance(1_000);
    await s.dispatcher.drain();

    const tries = s.receiver.requests.filter((r) => r.id === message.id);
    expect(tries.map((t) => t.answer)).toEqual([500, 200]);
    expect(tries[1]!.timestamp - tries[0]!.timestamp).toBe(1);
    expect(tries[0]!.signature).not.toBe(tries[1]!.signature);
    for (const attempt of tries) verifyAt(s.destination.secret, attempt, attempt.timestamp * 1000);
    const inspected = await inspect(s, message.id);
    expect(inspected.status).toBe('delivered');
    expect(inspected.attempts.map((a: any) => [a.statusCode, a.outcome, a.responseExcerpt])).toEqual([
      [500, 'retry_later:server_error', 'boom'],
      [200, 'delivered', '{"ok":true}'],
    ]);
    s.receiver.behave(ok);
  });

  it('signs with the old and the new secret during a rotation overlap, then with the new one only', async () => {
    const rotated = expectStatus(
      await s.h.admin('POST', `/admin/webhooks/${s.destination.id}/secret/rotate`, { overlapSeconds: 3600 }),
      200,
    );
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secrets).toHaveLength(2);
    const during = await bookWithPush(s);
    await s.dispatcher.drain();
    const [request] = s.receiver.requests.filter((r) => r.body.includes(during.ticketId));
    expect(request!.signature.split(' ')).toHaveLength(2);
    verifyAt(s.destination.secret, request!, s.h.clock.now());
    verifyAt(rotated.secret, request!, s.h.clock.now());

    s.h.clock.advance(3_601_000);
    const after = await bookWithPush(s);
    await s.dispatcher.drain();
    const [late] = s.receiver.requests.filter((r) => r.body.includes(after.ticketId));
    expect(late!.signature.split(' ')).toHaveLength(1);
    expect(() => verifyAt(s.destination.secret, late!, s.h.clock.now())).toThrow();
    verifyAt(rotated.secret, late!, s.h.clock.now());
    s.destination.secret = rotated.secret;
  });

  it('stops signing with the previous secret at once when it is revoked', async () => {
    const rotated = expectStatus(await s.h.admin('POST', `/admin/webhooks/${s.destination.id}/secret/rotate`, {}), 200);
    const revoked = expectStatus(await s.h.admin('POST', `/admin/webhooks/${s.destination.id}/secret/revoke-previous`), 200);
    expect(revoked.secrets).toHaveLength(1);
    const ticket = await bookWithPush(s);
    await s.dispatcher.drain();
    const [request] = s.receiver.requests.filter((r) => r.body.includes(ticket.ticketId));
    expect(request!.signature.split(' ')).toHaveLength(1);
    verifyAt(rotated.secret, request!, s.h.clock.now());
    s.destination.secret = rotated.secret;
  });

  it('signs with a secret the admin supplies, so a receiver that already has one keeps working', async () => {
    const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    expectStatus(await s.h.admin('POST', `/admin/webhooks/${s.destination.id}/secret/rotate`, { secret, overlapSeconds: 0 }), 200);
    const ticket = await bookWithPush(s);
    await s.dispatcher.drain();
    const [request] = s.receiver.requests.filter((r) => r.body.includes(ticket.ticketId));
    verifyAt(secret, request!, s.h.clock.now());
    const tooShort = await s.h.admin('POST', `/admin/webhooks/${s.destination.id}/secret/rotate`, { secret: 'whsec_c2hvcnQ=' });
    expect(tooShort.status).toBe(400);
    s.destination.secret = secret;
  });

  it('sends only the actions a destination asked for', async () => {
    expectStatus(await s.h.admin('PATCH', `/admin/webhooks/${s.destination.id}`, { actions: ['TICKET_CALLED'] }), 200);
    const ticket = await bookWithPush(s);
    await moveTicket(s, ticket.ticketId, 200);
    await s.dispatcher.drain();
    const received = s.receiver.requests.filter((r) => r.body.includes(ticket.ticketId)).map((r) => JSON.parse(r.body).message.action);
    expect(received).toEqual(['TICKET_CALLED']);
    expectStatus(await s.h.admin('PATCH', `/admin/webhooks/${s.destination.id}`, { actions: null }), 200);
  });
});
