import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../support/engines.js';
import { QueueHarness, expectStatus } from '../support/harness.js';
import { book, createUser, loginOperator, openCounter, setUpCompany } from '../support/company.js';

describeEachEngine('the unit of work of a ticket', (engine) => {
  let h: QueueHarness;
  beforeAll(async () => {
    h = await QueueHarness.start(engine);
  });
  afterAll(() => h.close());

  it('applies the alert a call sets off after the call itself, in the same transaction', async () => {
    const co = await setUpCompany(h, 'FollowCo', { alertThreshold: 0 });
    const user = await createUser(h, co);
    const operator = await loginOperator(h, co);
    await openCounter(h, operator, co.endpointId);
    const first = expectStatus(await book(h, co, user.token), 201);
    h.clock.advance(1000);
    const second = expectStatus(await book(h, co, user.token), 201);
    const called = expectStatus(
      await h.call('POST', `/v2/endpoints/${co.endpointId}/next`, { token: operator, body: { previousTicket: 'keep' } }),
      200,
    );
    expect(called.ticketId).toBe(first.ticketId);
    const events = await h.db
      .selectFrom('ticket_events')
      .select(['id', 'ticket_id', 'to_state', 'actor'])
      .where('ticket_id', 'in', [first.ticketId, second.ticketId])
      .where('from_state', 'is not', null)
      .orderBy('id')
      .execute();
    // The first was alerted when booked, with nobody ahead; the second once the call moved the line.
    expect(events.map((event) => [event.ticket_id, event.to_state, event.actor])).toEqual([
      [first.ticketId, 100, 'system:alert'],
      [first.ticketId, 200, expect.stringMatching(/^operator:/)],
      [second.ticketId, 100, 'system:alert'],
    ]);
  });

  it('wakes the dispatcher and the streams after a commit that recorded a change, never after a failed or silent one', async () => {
    const co = await setUpCompany(h, 'WakeCo');
    const user = await createUser(h, co);
    let wakes = 0;
    const unsubscribe = h.deps.outboxSignal.subscribe(() => {
      wakes += 1;
    });
    try {
      const ticket = expectStatus(await book(h, co, user.token), 201);
      expect(wakes).toBe(1);
      // A new subscription writes the row only: no event, nothing to deliver.
      expectStatus(
        await h.call('PUT', `/v2/user/tickets/${ticket.ticketId}/notifications`, {
          key: co.bookingKey,
          token: user.token,
          body: { sendClientPush: false },
        }),
        200,
      );
      expect(wakes).toBe(1);
      expectStatus(await h.call('PUT', `/v2/user/tickets/${ticket.ticketId}/cancel`, { key: co.bookingKey, token: user.token }), 200);
      expect(wakes).toBe(2);
      // Cancelling again breaks the transition rule: the transaction rolls back and nobody is woken.
      expect((await h.call('PUT', `/v2/user/tickets/${ticket.ticketId}/cancel`, { key: co.bookingKey, token: user.token })).status).toBe(
        409,
      );
      expect(wakes).toBe(2);
    } finally {
      unsubscribe();
    }
  });
});
