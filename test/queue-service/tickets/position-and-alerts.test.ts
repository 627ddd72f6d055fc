import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { describeEachEngine } from '../../support/engines.js';
import { QueueHarness, expectStatus } from '../support/harness.js';
import { book, createUser, loginOperator, openCounter, setUpCompany, type TestCompany } from '../support/company.js';

const MINUTE = 60_000;

describeEachEngine('positions, estimates and alerts', (engine) => {
  let h: QueueHarness;
  beforeAll(async () => {
    h = await QueueHarness.start(engine);
  });
  afterAll(() => h.close());
  beforeEach(() => h.clock.set('2026-03-02T09:00:00Z'));

  const ticketOf = async (co: TestCompany, token: string, id: string) =>
    expectStatus(await h.call('GET', `/v2/user/tickets/${id}`, { key: co.bookingKey, token }), 200);
  const minutesAhead = (view: any) => (Date.parse(view.timeline.estimatedFor) - h.clock.now()) / MINUTE;
  const actionsOf = async (ticketId: string) =>
    (expectStatus(await h.admin('GET', `/admin/messages?ticketId=${ticketId}`), 200).messages as any[]).map((m) => m.action).reverse();

  describe('alerts', () => {
    it('alert a ticket when the people ahead of it fall to the threshold, counting groups as people', async () => {
      const co = await setUpCompany(h, 'AlertCo', { alertPositions: [2] });
      const user = await createUser(h, co);
      const operator = await loginOperator(h, co);
      await openCounter(h, operator, co.endpointId);
      const sizes = [1, 2, 1, 1];
      const tickets: any[] = [];
      for (const groupSize of sizes) {
        h.clock.advance(1_000);
        tickets.push(expectStatus(await book(h, co, user.token, { groupSize, pushId: 'p', sendClientPush: true }), 201));
      }
      const states = async () => Promise.all(tickets.map(async (ticket) => (await ticketOf(co, user.token, ticket.ticketId)).state));
      // Booked with nobody and one person ahead: alerted at once.
      expect(await states()).toEqual([100, 100, 0, 0]);
      expectStatus(await h.call('POST', `/v2/endpoints/${co.endpointId}/next`, { token: operator, body: { previousTicket: 'keep' } }), 200);
      // Ahead now: A002 nobody, A003 two people (A002's group), A004 three.
      expect(await states()).toEqual([200, 100, 100, 0]);
      expect(await actionsOf(tickets[2].ticketId)).toEqual(['TICKET_BOOKED', 'TICKET_ALERTED']);
      h.clock.advance(1_000);
      const late = [expectStatus(await book(h, co, user.token), 201), expectStatus(await book(h, co, user.token), 201)];
      // A user cancelling A003 moves the line too: A004 has two people ahead (A002's group), A005 three.
      expectStatus(await h.call('PUT', `/v2/user/tickets/${tickets[2].ticketId}/cancel`, { key: co.bookingKey, token: user.token }), 200);
      expect((await ticketOf(co, user.token, tickets[3].ticketId)).state).toBe(100);
      expect((await ticketOf(co, user.token, late[0].ticketId)).state).toBe(0);
      // Calling A002: A005 has one person ahead, A006 two.
      expectStatus(await h.call('POST', `/v2/endpoints/${co.endpointId}/next`, { token: operator, body: { previousTicket: 'keep' } }), 200);
      expect((await ticketOf(co, user.token, late[0].ticketId)).state).toBe(100);
      expect((await ticketOf(co, user.token, late[1].ticketId)).state).toBe(100);
      const alert = (
        await h.db
          .selectFrom('ticket_events')
          .select(['actor', 'to_state'])
          .where('ticket_id', '=', late[0].ticketId)
          .orderBy('id')
          .execute()
      ).at(-1);
      expect(alert).toEqual({ actor: 'system:alert', to_state: 100 });
    });

    it('leave alone the tickets ahead of the one that left', async () => {
      // Booked while the queue alerted nobody; alerts turned on afterwards would reach all of them.
      const co = await setUpCompany(h, 'AheadCo', { alertPositions: [] });
      const user = await createUser(h, co);
      const operator = await loginOperator(h, co);
      await openCounter(h, operator, co.endpointId);
      const first = expectStatus(await book(h, co, user.token), 201);
      const second = expectStatus(await book(h, co, user.token), 201);
      const third = expectStatus(await book(h, co, user.token), 201);
      expectStatus(await h.admin('PATCH', `/admin/queues/${co.queueId}`, { settings: { alertPositions: [5] } }), 200);
      expectStatus(
        await h.call('PUT', `/v2/endpoints/${co.endpointId}/tickets/${second.ticketId}/state`, { token: operator, body: { state: 200 } }),
        200,
      );
      expect((await ticketOf(co, user.token, first.ticketId)).state).toBe(0);
      expect((await ticketOf(co, user.token, third.ticketId)).state).toBe(100);
    });

    it('ask for confirmation instead where the queue wants it; confirming alerts, anything else is refused', async () => {
      const co = await setUpCompany(h, 'ConfirmCo', { alertThreshold: 0, confirmRequired: true });
      const user = await createUser(h, co);
      const operator = await loginOperator(h, co);
      await openCounter(h, operator, co.endpointId);
      const tickets = [];
      for (let i = 0; i < 3; i++) tickets.push(expectStatus(await book(h, co, user.token, { pushId: 'p', sendClientPush: true }), 201));
      const confirm = (id: string) => h.call('PUT', `/v2/user/tickets/${id}/confirm`, { key: co.bookingKey, token: user.token });
      expect((await confirm(tickets[1].ticketId)).body.error).toMatchObject({ code: 'INVALID_TRANSITION' });
      expectStatus(await h.call('POST', `/v2/endpoints/${co.endpointId}/next`, { token: operator, body: { previousTicket: 'keep' } }), 200);
      expect((await ticketOf(co, user.token, tickets[1].ticketId)).state).toBe(50);
      expect((await ticketOf(co, user.token, tickets[2].ticketId)).state).toBe(0);
      expect(await actionsOf(tickets[1].ticketId)).toEqual(['TICKET_BOOKED']);
      expect(expectStatus(await confirm(tickets[1].ticketId), 200)).toMatchObject({ state: 100 });
      expect(await actionsOf(tickets[1].ticketId)).toEqual(['TICKET_BOOKED', 'TICKET_ALERTED']);
      expect((await confirm(tickets[0].ticketId)).status).toBe(409);
      expect((await confirm('tkt_nope')).status).toBe(404);
    });
  });

  describe('positions and estimates', () => {
    it('count groups across the queues a counter serves, divide by open counters, and follow the service-time average', async () => {
      // Counter 1 serves Accounts (A) and Billing (B); counter 2 serves Accounts only.
      const co = await setUpCompany(h, 'EstimateCo', { defaultServiceMinutes: 4 });
      const user = await createUser(h, co);
      const bookAt = async (queueId: string, groupSize: number) => {
        h.clock.advance(1_000);
        return expectStatus(await book(h, co, user.token, { groupSize }, queueId), 201);
      };
      const t1 = await bookAt(co.queueId, 2);
      const t2 = await bookAt(co.secondQueueId, 3);
      const t3 = await bookAt(co.queueId, 2);
      let view = await ticketOf(co, user.token, t3.ticketId);
      expect(view.ticketPosition).toEqual({ queue: { tickets: 1, people: 2 }, endpoint: { tickets: 2, people: 5 } });
      // No counter open yet: one is assumed, at the default 4 minutes a person.
      expect(minutesAhead(view)).toBe(20);
      expect(t3.ticketPosition).toEqual(view.ticketPosition);

      const one = await loginOperator(h, co);
      const two = await loginOperator(h, co, co.secondEndpointId);
      await openCounter(h, one, co.endpointId);
      await openCounter(h, two, co.secondEndpointId);
      expect(minutesAhead(await ticketOf(co, user.token, t3.ticketId))).toBe(10);
      // Billing is served by counter 1 alone, and its line is Billing and Accounts.
      view = await ticketOf(co, user.token, t2.ticketId);
      expect(view.ticketPosition).toEqual({ queue: { tickets: 0, people: 0 }, endpoint: { tickets: 1, people: 2 } });
      expect(minutesAhead(view)).toBe(8);

      expectStatus(await h.call('PUT', `/v2/user/tickets/${t1.ticketId}/cancel`, { key: co.bookingKey, token: user.token }), 200);
      view = await ticketOf(co, user.token, t3.ticketId);
      expect(view.ticketPosition).toEqual({ queue: { tickets: 0, people: 0 }, endpoint: { tickets: 1, people: 3 } });
      expect(minutesAhead(view)).toBe(6);

      // Counter 2 calls A003 (a group of two), recalls it after 10 minutes, then serves it in 6:
      // only the service counts, 3 minutes a person, and it replaces the default.
      const act = (token: string, endpointId: string, id: string, state: number) =>
        h.call('PUT', `/v2/endpoints/${endpointId}/tickets/${id}/state`, { token, body: { state } });
      const serve = async (token: string, endpointId: string, id: string, minutes: number) => {
        expectStatus(await act(token, endpointId, id, 500), 200);
        h.clock.advance(minutes * MINUTE);
        expectStatus(await act(token, endpointId, id, 700), 200);
      };
      expect(
        expectStatus(
          await h.call('POST', `/v2/endpoints/${co.secondEndpointId}/next`, { token: two, body: { previousTicket: 'keep' } }),
          200,
        ).ticketId,
      ).toBe(t3.ticketId);
      h.clock.advance(10 * MINUTE);
      expect(
        expectStatus(await h.call('PUT', `/v2/endpoints/${co.secondEndpointId}/tickets/${t3.ticketId}/recall`, { token: two }), 200)
          .recallCount,
      ).toBe(1);
      h.clock.advance(2 * MINUTE);
      await serve(two, co.secondEndpointId, t3.ticketId, 6);
      const t4 = await bookAt(co.queueId, 1);
      expect(t4.ticketPosition.endpoint).toEqual({ tickets: 1, people: 3 });
      expect(minutesAhead(t4)).toBe(4.5);

      // Billing's own service does not move Accounts' average; Accounts' next one (8 minutes) does:
      // 3 + 0.2 × (8 − 3) = 4 minutes a person.
      expect(
        expectStatus(await h.call('POST', `/v2/endpoints/${co.endpointId}/next`, { token: one, body: { previousTicket: 'keep' } }), 200)
          .ticketId,
      ).toBe(t2.ticketId);
      await serve(one, co.endpointId, t2.ticketId, 30);
      expect(
        expectStatus(
          await h.call('POST', `/v2/endpoints/${co.secondEndpointId}/next`, { token: two, body: { previousTicket: 'keep' } }),
          200,
        ).ticketId,
      ).toBe(t4.ticketId);
      await serve(two, co.secondEndpointId, t4.ticketId, 8);
      await bookAt(co.queueId, 2);
      const t6 = await bookAt(co.queueId, 1);
      expect(t6.ticketPosition).toEqual({ queue: { tickets: 1, people: 2 }, endpoint: { tickets: 1, people: 2 } });
      expect(minutesAhead(t6)).toBe(4);
      const state = expectStatus(await h.call('GET', `/v2/queues/${co.queueId}/state`, { key: co.bookingKey }), 200);
      expect(state).toMatchObject({ waiting: { tickets: 2, people: 3 }, openEndpoints: 2, estimatedWaitMinutes: 6 });
    });
  });
});
