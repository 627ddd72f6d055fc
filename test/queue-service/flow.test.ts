import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../support/engines.js';
import { QueueHarness, expectStatus } from './support/harness.js';
import { book, createUser, loginOperator, openCounter, setUpCompany, type TestCompany } from './support/company.js';

describeEachEngine('a ticket from booking to done', (engine) => {
  let h: QueueHarness;
  let company: TestCompany;
  beforeAll(async () => {
    h = await QueueHarness.start(engine);
    company = await setUpCompany(h, 'Acme', { alertPositions: [2, 1] });
  });
  afterAll(() => h.close());

  it('books with a pushId, gets called, served and closed, with one message per change', async () => {
    const user = await createUser(h, company);
    const ticket = expectStatus(
      await book(h, company, user.token, { pushId: 'push-123', sendClientPush: true, userData: { name: 'Ana' } }),
      201,
    );
    expect(ticket).toMatchObject({
      label: 'A001',
      state: 0,
      queue: { queueId: company.queueId, name: 'Accounts' },
      place: { placeId: company.placeId, name: 'Acme Paris' },
      notifications: { pushId: 'push-123', sendClientPush: true },
    });

    const subscribed = await h.call('PUT', `/v2/user/tickets/${ticket.ticketId}/notifications`, {
      key: company.bookingKey,
      token: user.token,
      body: { pushId: 'push-456', sendClientPush: true },
    });
    expect(subscribed.status).toBe(200);
    expect(subscribed.text).toBe('');

    const operatorToken = await loginOperator(h, company);
    await openCounter(h, operatorToken, company.endpointId);
    const called = expectStatus(
      await h.call('POST', `/v2/endpoints/${company.endpointId}/next`, { token: operatorToken, body: { previousTicket: 'keep' } }),
      200,
    );
    expect(called).toMatchObject({
      ticketId: ticket.ticketId,
      state: 200,
      endpoint: { endpointId: company.endpointId, name: 'Counter 1', names: { en_US: 'Counter 1', fr_FR: 'Guichet 1' } },
    });

    h.clock.advance(60_000);
    const serving = expectStatus(
      await h.call('PUT', `/v2/endpoints/${company.endpointId}/tickets/${ticket.ticketId}/state`, {
        token: operatorToken,
        body: { state: 500 },
      }),
      200,
    );
    expect(serving.state).toBe(500);
    h.clock.advance(240_000);
    const done = expectStatus(
      await h.call('PUT', `/v2/endpoints/${company.endpointId}/tickets/${ticket.ticketId}/state`, {
        token: operatorToken,
        body: { state: 700 },
      }),
      200,
    );
    expect(done.state).toBe(700);

    const mine = expectStatus(await h.call('GET', '/v2/user/tickets', { key: company.bookingKey, token: user.token }), 200);
    expect(mine.tickets[ticket.ticketId]).toEqual(done);

    const { messages } = expectStatus(await h.admin('GET', `/admin/messages?ticketId=${ticket.ticketId}`), 200);
    // Alerted at once (nobody ahead); the new pushId is sent the ticket as it is then; then each change.
    expect(messages.map((m: any) => m.action).reverse()).toEqual([
      'TICKET_BOOKED',
      'TICKET_ALERTED',
      'TICKET_ALERTED',
      'TICKET_CALLED',
      'TICKET_INPROGRESS',
      'TICKET_DONE',
    ]);
    expect(messages.every((m: any) => m.status === 'pending' && m.channel === 'webhook' && m.destinationId === company.webhookId)).toBe(
      true,
    );
    const calledMessage = messages.find((m: any) => m.action === 'TICKET_CALLED');
    expect(calledMessage.body).toEqual({
      pushId: 'push-456',
      message: { action: 'TICKET_CALLED', content: "Ticket A001, it's your turn: please go to Counter 1.", data: called },
    });
    expect(messages.find((m: any) => m.action === 'TICKET_BOOKED').body.pushId).toBe('push-123');
  });
});
