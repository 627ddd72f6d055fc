import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { Dispatcher } from '../../../src/queue-service/dispatch/dispatcher.js';
import { BREAKER } from '../../../src/queue-service/dispatch/policy.js';
import { describeEachEngine } from '../../support/engines.js';
import { expectStatus } from '../support/harness.js';
import { TEST_DISPATCH, bookWithPush, inspect, messagesOf, moveTicket, startDelivery, type DeliverySetup } from './support/delivery.js';
import { ok } from './support/receiver.js';

const MINUTE = 60_000;

describeEachEngine('per-ticket order and deadlines', (engine) => {
  let s: DeliverySetup;
  beforeAll(async () => {
    // The breaker would pause a failing destination; these tests watch the retry schedule alone (circuit-breaker.test.ts has the breaker).
    s = await startDelivery(engine, {}, { breaker: { ...BREAKER, failuresToOpen: 1_000 } });
  });
  afterAll(() => s.close());
  beforeEach(() => s.receiver.behave(ok));

  const actionsReceived = (ticketId: string) =>
    s.receiver.requests.filter((r) => r.body.includes(ticketId)).map((r) => `${JSON.parse(r.body).message.action}:${r.answer}`);

  const closedUnsent = async (status: 'superseded' | 'expired') => {
    const text = await (await fetch(`${s.h.url}/metrics`)).text();
    return Number(new RegExp(`^queuebell_messages_closed_unsent_total\\{status="${status}"[^}]*\\} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
  };

  it('supersedes an undelivered message when a newer one for the same ticket and destination waits', async () => {
    const supersededBefore = await closedUnsent('superseded');
    const ticket = await bookWithPush(s);
    await moveTicket(s, ticket.ticketId, 200);
    await s.dispatcher.drain();
    const messages = (await messagesOf(s, `ticketId=${ticket.ticketId}`)).reverse();
    expect(messages.map((m) => [m.action, m.status])).toEqual([
      ['TICKET_BOOKED', 'superseded'],
      ['TICKET_CALLED', 'delivered'],
    ]);
    expect(actionsReceived(ticket.ticketId)).toEqual(['TICKET_CALLED:200']);
    expect(await closedUnsent('superseded')).toBe(supersededBefore + 1);
  });

  it('does not send message n+1 while message n is on the wire, even from another worker', async () => {
    const ticket = await bookWithPush(s);
    s.receiver.behave({ kind: 'slow', delayMs: 400 });
    const first = s.dispatcher.drain();
    await s.receiver.waitFor(() => s.receiver.requests.some((r) => r.body.includes(ticket.ticketId)), 'the BOOKED message on the wire');
    s.receiver.behave(ok);
    await moveTicket(s, ticket.ticketId, 200);
    // A second worker looks while BOOKED is still unanswered: CALLED must wait, and BOOKED is not its to touch.
    const other = new Dispatcher(s.h.deps, TEST_DISPATCH);
    await other.drain();
    expect(actionsReceived(ticket.ticketId)).toEqual(['TICKET_BOOKED:200']);
    await first;
    await s.dispatcher.drain();
    await other.stop();
    const received = s.receiver.requests.filter((r) => r.body.includes(ticket.ticketId));
    expect(actionsReceived(ticket.ticketId)).toEqual(['TICKET_BOOKED:200', 'TICKET_CALLED:200']);
    // The slow answer came back before the second request left.
    expect(received[1]!.receivedAt).toBeGreaterThanOrEqual(received[0]!.receivedAt + 400 - 50);
    const messages = (await messagesOf(s, `ticketId=${ticket.ticketId}`)).reverse();
    expect(messages.map((m) => m.status)).toEqual(['delivered', 'delivered']);
  });

  it('never sends a message after its deadline: it expires instead', async () => {
    const ticket = await bookWithPush(s);
    await s.dispatcher.drain();
    await moveTicket(s, ticket.ticketId, 200);
    // Nobody delivers for six minutes (the dispatcher was down); CALLED had five.
    s.h.clock.advance(6 * MINUTE);
    await s.dispatcher.drain();
    const [called] = await messagesOf(s, `ticketId=${ticket.ticketId}&status=expired`);
    expect(called).toMatchObject({ action: 'TICKET_CALLED', attemptCount: 0, lastError: 'deadline passed before delivery' });
    expect((await inspect(s, called.id)).attempts).toEqual([]);
    expect(actionsReceived(ticket.ticketId)).toEqual(['TICKET_BOOKED:200']);
  });

  it('expires a message when no retry fits before its deadline, and the lane moves on', async () => {
    s.receiver.behave({ kind: 'status', status: 503 });
    const ticket = await bookWithPush(s);
    await s.dispatcher.drain();
    await moveTicket(s, ticket.ticketId, 200);
    const called = (await messagesOf(s, `ticketId=${ticket.ticketId}&status=pending`)).find((m) => m.action === 'TICKET_CALLED');
    // Attempts at 0, 1, 4, 13, 40 and 121 s; the next would be at 364 s, past the 300 s deadline.
    for (const wait of [0, 1_000, 3_000, 9_000, 27_000, 81_000]) {
      s.h.clock.advance(wait);
      await s.dispatcher.drain();
    }
    const expired = await inspect(s, called.id);
    expect(expired).toMatchObject({ status: 'expired', attemptCount: 6 });
    expect(expired.lastError).toBe('HTTP 503; no retry fits before the deadline');
    expect(expired.attempts.map((a: any) => Date.parse(a.startedAt) - Date.parse(expired.createdAt))).toEqual([
      0, 1_000, 4_000, 13_000, 40_000, 121_000,
    ]);
    s.receiver.behave(ok);
    await moveTicket(s, ticket.ticketId, 500);
    await s.dispatcher.drain();
    expect(actionsReceived(ticket.ticketId).at(-1)).toBe('TICKET_INPROGRESS:200');
  });

  it('after a receiver outage, delivers what is still worth delivering and expires the rest', async () => {
    s.receiver.behave({ kind: 'reset' });
    const booked = await bookWithPush(s);
    const called = await bookWithPush(s);
    await moveTicket(s, called.ticketId, 200);
    await s.dispatcher.drain();
    // Down for ten minutes: CALLED (5 min) is past its deadline, BOOKED (1 h) is not.
    for (let minute = 1; minute <= 10; minute++) {
      s.h.clock.advance(MINUTE);
      await s.dispatcher.drain();
    }
    s.receiver.behave(ok);
    s.h.clock.advance(MINUTE);
    await s.dispatcher.drain();
    const [bookedMessage] = await messagesOf(s, `ticketId=${booked.ticketId}`);
    expect(bookedMessage).toMatchObject({ status: 'delivered' });
    expect(bookedMessage.attemptCount).toBeGreaterThan(3);
    const calledMessages = (await messagesOf(s, `ticketId=${called.ticketId}`)).reverse();
    expect(calledMessages.map((m) => [m.action, m.status])).toEqual([
      ['TICKET_BOOKED', 'superseded'],
      ['TICKET_CALLED', 'expired'],
    ]);
    expect(actionsReceived(called.ticketId).filter((a) => a.endsWith(':200'))).toEqual([]);
  });

  it('keeps the order of a ticket whose first message is retried: the newer one supersedes it', async () => {
    s.receiver.behave({ kind: 'status', status: 500 });
    const ticket = await bookWithPush(s);
    await s.dispatcher.drain();
    s.receiver.behave(ok);
    await moveTicket(s, ticket.ticketId, 200);
    s.h.clock.advance(1_000);
    await s.dispatcher.drain();
    expect(actionsReceived(ticket.ticketId)).toEqual(['TICKET_BOOKED:500', 'TICKET_CALLED:200']);
    const statuses = (await messagesOf(s, `ticketId=${ticket.ticketId}`)).reverse().map((m) => m.status);
    expect(statuses).toEqual(['superseded', 'delivered']);
  });

  it('keeps lanes apart: one ticket waiting on its destination does not hold up another ticket', async () => {
    const second = expectStatus(
      await s.h.admin('POST', `/admin/companies/${s.company.companyId}/webhooks`, { url: s.receiver.url('/second') }),
      201,
    );
    const ticket = await bookWithPush(s);
    await s.dispatcher.drain();
    const paths = s.receiver.requests
      .filter((r) => r.body.includes(ticket.ticketId))
      .map((r) => r.path)
      .sort();
    expect(paths).toEqual(['/hook', '/second']);
    expectStatus(await s.h.admin('DELETE', `/admin/webhooks/${second.id}`), 204);
  });
});
