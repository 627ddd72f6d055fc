import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { BREAKER } from '../../../src/queue-service/dispatch/policy.js';
import { describeEachEngine } from '../../support/engines.js';
import { expectStatus } from '../support/harness.js';
import { setUpCompany } from '../support/company.js';
import { bookWithPush, inspect, messagesOf, moveTicket, startDelivery, type DeliverySetup } from './support/delivery.js';
import { ok } from './support/receiver.js';

describeEachEngine('message log and replay', (engine) => {
  let s: DeliverySetup;
  beforeAll(async () => {
    s = await startDelivery(engine, {}, { breaker: { ...BREAKER, failuresToOpen: 1_000 } });
  });
  afterAll(() => s.close());
  beforeEach(() => s.receiver.behave(ok));

  async function failedMessage(): Promise<{ ticket: any; message: any }> {
    s.receiver.behave({ kind: 'status', status: 422 });
    const ticket = await bookWithPush(s);
    await s.dispatcher.drain();
    s.receiver.behave(ok);
    const [message] = await messagesOf(s, `ticketId=${ticket.ticketId}`);
    expect(message.status).toBe('failed');
    return { ticket, message };
  }

  it('replays a failed message with the same webhook-id and a fresh deadline as long as the first', async () => {
    const { message } = await failedMessage();
    s.h.clock.advance(30 * 60_000);
    const replayed = expectStatus(await s.h.admin('POST', `/admin/messages/${message.id}/replay`), 202);
    expect(replayed).toMatchObject({
      status: 'pending',
      attemptCount: 0,
      replayCount: 1,
      replayedAt: new Date(s.h.clock.now()).toISOString(),
      lastError: null,
    });
    expect(Date.parse(replayed.deliverBy) - s.h.clock.now()).toBe(Date.parse(message.deliverBy) - Date.parse(message.createdAt));
    await s.dispatcher.drain();
    const inspected = await inspect(s, message.id);
    expect(inspected.status).toBe('delivered');
    expect(inspected.attempts.map((a: any) => a.statusCode)).toEqual([422, 200]);
    const sent = s.receiver.requests.filter((r) => r.id === message.id);
    expect(sent.map((r) => r.answer)).toEqual([422, 200]);
    expect(sent[1]!.deliverBy).toBe(replayed.deliverBy);
  });

  it('refuses to replay a message still on its way, or one a newer message of its ticket replaced', async () => {
    s.receiver.behave({ kind: 'status', status: 500 });
    const ticket = await bookWithPush(s);
    await s.dispatcher.drain();
    const [pending] = await messagesOf(s, `ticketId=${ticket.ticketId}`);
    const early = await s.h.admin('POST', `/admin/messages/${pending.id}/replay`);
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('MESSAGE_NOT_ENDED');

    s.receiver.behave(ok);
    await moveTicket(s, ticket.ticketId, 200);
    s.h.clock.advance(1_000);
    await s.dispatcher.drain();
    const [called, booked] = await messagesOf(s, `ticketId=${ticket.ticketId}`);
    expect([booked.status, called.status]).toEqual(['superseded', 'delivered']);
    const older = await s.h.admin('POST', `/admin/messages/${booked.id}/replay`);
    expect(older.status).toBe(409);
    expect(older.body.error.code).toBe('MESSAGE_NOT_LATEST');
    // The newest one may be sent again: a receiver that lost it gets it, one that has it drops the duplicate id.
    expectStatus(await s.h.admin('POST', `/admin/messages/${called.id}/replay`), 202);
    await s.dispatcher.drain();
    expect(s.receiver.requests.filter((r) => r.id === called.id).map((r) => r.answer)).toEqual([200, 200]);
  });

  it('refuses to replay towards a disabled destination', async () => {
    const { message } = await failedMessage();
    expectStatus(await s.h.admin('PATCH', `/admin/webhooks/${s.destination.id}`, { enabled: false }), 200);
    const refused = await s.h.admin('POST', `/admin/messages/${message.id}/replay`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('WEBHOOK_DISABLED');
    expectStatus(await s.h.admin('PATCH', `/admin/webhooks/${s.destination.id}`, { enabled: true }), 200);
  });

  it('replays the failed and expired messages of a time range for one destination, skipping replaced ones', async () => {
    s.h.clock.advance(1_000);
    const from = s.h.clock.now();
    s.receiver.behave({ kind: 'status', status: 400 });
    const tickets = [await bookWithPush(s), await bookWithPush(s), await bookWithPush(s)];
    await s.dispatcher.drain();
    s.receiver.behave(ok);
    // The third ticket moved on: its failed BOOKED message is no longer the newest, so it is skipped.
    await moveTicket(s, tickets[2].ticketId, 200);
    await s.dispatcher.drain();
    s.h.clock.advance(1_000);
    const outside = await failedMessage();

    const result = expectStatus(
      await s.h.admin('POST', '/admin/messages/replay', {
        from: new Date(from).toISOString(),
        to: new Date(from + 500).toISOString(),
        destinationId: s.destination.id,
      }),
      202,
    );
    expect(result).toEqual({ matched: 3, replayed: 2, skipped: 1, truncated: false });
    await s.dispatcher.drain();
    for (const ticket of tickets.slice(0, 2)) {
      const [message] = await messagesOf(s, `ticketId=${ticket.ticketId}`);
      expect(message).toMatchObject({ status: 'delivered', replayCount: 1 });
    }
    expect((await inspect(s, outside.message.id)).status).toBe('failed');
  });

  it('lists messages by ticket, status, destination and channel, newest first, page by page', async () => {
    const second = expectStatus(
      await s.h.admin('POST', `/admin/companies/${s.company.companyId}/webhooks`, { url: s.receiver.url('/b') }),
      201,
    );
    const ticket = await bookWithPush(s);
    await moveTicket(s, ticket.ticketId, 200);
    await s.dispatcher.drain();
    const all = await messagesOf(s, `ticketId=${ticket.ticketId}`);
    expect(all.map((m) => m.action)).toEqual(['TICKET_CALLED', 'TICKET_CALLED', 'TICKET_BOOKED', 'TICKET_BOOKED']);
    const forSecond = await messagesOf(s, `ticketId=${ticket.ticketId}&destinationId=${second.id}`);
    expect(forSecond.map((m) => [m.action, m.status])).toEqual([
      ['TICKET_CALLED', 'delivered'],
      ['TICKET_BOOKED', 'superseded'],
    ]);
    expect((await messagesOf(s, `ticketId=${ticket.ticketId}&status=superseded`)).every((m) => m.action === 'TICKET_BOOKED')).toBe(true);
    expect(await messagesOf(s, `ticketId=${ticket.ticketId}&channel=sms`)).toEqual([]);
    const firstPage = await messagesOf(s, `ticketId=${ticket.ticketId}&limit=3`);
    const nextPage = await messagesOf(s, `ticketId=${ticket.ticketId}&limit=3&before=${firstPage.at(-1).id}`);
    expect([...firstPage, ...nextPage].map((m) => m.id)).toEqual(all.map((m) => m.id));
    expectStatus(await s.h.admin('DELETE', `/admin/webhooks/${second.id}`), 204);
  });

  it("keeps a company's admin key to its own messages", async () => {
    const { message } = await failedMessage();
    const other = await setUpCompany(s.h, 'Other');
    expect((await s.h.call('GET', `/admin/messages/${message.id}`, { key: other.adminKey })).status).toBe(404);
    expect((await s.h.call('POST', `/admin/messages/${message.id}/replay`, { key: other.adminKey })).status).toBe(404);
    const theirs = expectStatus(await s.h.call('GET', `/admin/messages?companyId=${s.company.companyId}`, { key: other.adminKey }), 200);
    expect(theirs.messages).toEqual([]);
    const range = expectStatus(
      await s.h.call('POST', '/admin/messages/replay', {
        key: other.adminKey,
        body: { from: new Date(0).toISOString(), to: new Date(s.h.clock.now() + 1).toISOString(), companyId: s.company.companyId },
      }),
      202,
    );
    expect(range.matched).toBe(0);
    expect((await s.h.call('GET', `/admin/messages/${message.id}`, { key: s.company.adminKey })).status).toBe(200);
  });
});
