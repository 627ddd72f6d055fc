import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { describeEachEngine } from '../../support/engines.js';
import { QueueHarness, expectStatus } from '../support/harness.js';
import { book, createUser, loginOperator, openCounter, setUpCompany } from '../support/company.js';

describeEachEngine('operator indicators, ratings and booking pause', (engine) => {
  let h: QueueHarness;
  beforeAll(async () => {
    h = await QueueHarness.start(engine);
  });
  afterAll(() => h.close());
  beforeEach(() => h.clock.set('2026-03-02T09:00:00Z'));
  const at = (time: string) => h.clock.set(`2026-03-02T${time}:00Z`);

  /** A morning at counter 1: served, recalled, missed and canceled tickets, two ratings. */
  async function morning(name: string) {
    const co = await setUpCompany(h, name);
    const user = await createUser(h, co);
    const operator = await loginOperator(h, co);
    const tickets: any[] = [];
    for (const [time, groupSize] of [
      ['09:00', 1],
      ['09:01', 2],
      ['09:02', 1],
      ['09:03', 1],
    ] as const) {
      at(time);
      tickets.push(expectStatus(await book(h, co, user.token, { groupSize }), 201));
    }
    const act = (ticket: any, state: number) =>
      h
        .call('PUT', `/v2/endpoints/${co.endpointId}/tickets/${ticket.ticketId}/state`, { token: operator, body: { state } })
        .then((r) => expectStatus(r, 200));
    const next = () =>
      h
        .call('POST', `/v2/endpoints/${co.endpointId}/next`, { token: operator, body: { previousTicket: 'keep' } })
        .then((r) => expectStatus(r, 200));
    at('09:05');
    await openCounter(h, operator, co.endpointId);
    at('09:10');
    await next();
    await act(tickets[0], 500);
    at('09:16');
    await act(tickets[0], 700);
    await next();
    at('09:20');
    expectStatus(await h.call('PUT', `/v2/endpoints/${co.endpointId}/tickets/${tickets[1].ticketId}/recall`, { token: operator }), 200);
    at('09:21');
    await act(tickets[1], 500);
    at('09:25');
    await act(tickets[1], 700);
    await next();
    await act(tickets[2], 300);
    await act(tickets[2], 400);
    expectStatus(await h.call('PUT', `/v2/user/tickets/${tickets[3].ticketId}/cancel`, { key: co.bookingKey, token: user.token }), 200);
    const rate = (ticket: any, body: unknown) =>
      h.call('PUT', `/v2/user/tickets/${ticket.ticketId}/rate`, { key: co.bookingKey, token: user.token, body });
    return { co, user, operator, tickets, rate };
  }

  describe('ratings', () => {
    it('rate a finished ticket once, from 1 to 5 with an optional comment', async () => {
      const { tickets, rate, co } = await morning('RateCo');
      expect(expectStatus(await rate(tickets[0], { rating: 5, comment: '  Quick and kind ' }), 200).rating).toEqual({
        rating: 5,
        comment: 'Quick and kind',
      });
      expect(expectStatus(await rate(tickets[1], { rating: 3 }), 200).rating).toEqual({ rating: 3, comment: null });
      const cases: Array<[any, unknown, number, string]> = [
        [tickets[0], { rating: 4 }, 409, 'ALREADY_RATED'],
        [tickets[3], { rating: 4 }, 409, 'TICKET_NOT_RATEABLE'],
        [tickets[2], { rating: 4 }, 409, 'TICKET_NOT_RATEABLE'],
        [tickets[1], { rating: 6 }, 400, 'VALIDATION_FAILED'],
        [tickets[1], { rating: '5' }, 400, 'VALIDATION_FAILED'],
        [tickets[1], { rating: 2, comment: 'x'.repeat(1001) }, 400, 'VALIDATION_FAILED'],
        [tickets[1], { rating: 2, stars: 2 }, 400, 'VALIDATION_FAILED'],
        [tickets[1], {}, 400, 'VALIDATION_FAILED'],
      ];
      for (const [ticket, body, status, code] of cases) {
        const reply = await rate(ticket, body);
        expect([reply.status, reply.body.error.code], JSON.stringify(body)).toEqual([status, code]);
      }
      const stranger = await createUser(h, co);
      expect(
        (
          await h.call('PUT', `/v2/user/tickets/${tickets[0].ticketId}/rate`, {
            key: co.bookingKey,
            token: stranger.token,
            body: { rating: 1 },
          })
        ).status,
      ).toBe(404);
    });
  });

  describe('indicators', () => {
    it('count waiting, served, missed and canceled tickets, average wait to the first call and service time, per queue and for the counter', async () => {
      const { co, operator, tickets, rate } = await morning('IndicatorsCo');
      await rate(tickets[0], { rating: 5 });
      await rate(tickets[1], { rating: 3 });
      at('09:30');
      const user = await createUser(h, co);
      expectStatus(await book(h, co, user.token, { groupSize: 3 }), 201);
      const indicators = expectStatus(await h.call('GET', `/v2/endpoints/${co.endpointId}/indicators`, { token: operator }), 200);
      expect(indicators.from).toBe('2026-03-01T23:00:00.000Z');
      expect(indicators.to).toBe('2026-03-02T23:00:00.000Z');
      expect(indicators.queues.map((queue: any) => queue.name)).toEqual(['Accounts', 'Billing']);
      const [accounts, billing] = indicators.queues;
      // Waits: 10 minutes, 15 (the recall does not count), 23.
      expect(accounts).toEqual({
        queueId: co.queueId,
        name: 'Accounts',
        waiting: { tickets: 1, people: 3 },
        booked: 5,
        served: 2,
        noShows: 1,
        canceled: 1,
        averageServiceMinutes: 5,
        averageRating: 4,
        ratings: 2,
        averageWaitMinutes: 16,
      });
      expect(billing).toMatchObject({
        queueId: co.secondQueueId,
        booked: 0,
        served: 0,
        averageServiceMinutes: null,
        averageWaitMinutes: null,
        averageRating: null,
      });
      expect(indicators.endpoint).toEqual({
        endpointId: co.endpointId,
        waiting: { tickets: 1, people: 3 },
        booked: 3,
        served: 2,
        noShows: 1,
        canceled: 0,
        averageServiceMinutes: 5,
        averageRating: 4,
        ratings: 2,
        averageWaitMinutes: 16,
      });
      const tomorrow = expectStatus(
        await h.call('GET', `/v2/endpoints/${co.endpointId}/indicators?from=2026-03-03T00:00:00Z&to=2026-03-04T00:00:00Z`, {
          key: co.operatorKey,
        }),
        200,
      );
      expect(tomorrow.queues[0]).toMatchObject({ booked: 0, served: 0, waiting: { tickets: 1, people: 3 } });
    });

    it('refuse bad periods and other counters with the error shape', async () => {
      const co = await setUpCompany(h, 'BadIndicatorsCo');
      const operator = await loginOperator(h, co);
      const get = (query: string, endpointId = co.endpointId) =>
        h.call('GET', `/v2/endpoints/${endpointId}/indicators?${query}`, { token: operator });
      for (const query of [
        'from=2026-03-03T00:00:00Z&to=2026-03-02T00:00:00Z',
        'from=yesterday',
        'from=2026-01-01T00:00:00Z&to=2026-06-01T00:00:00Z',
        'limit=3',
      ]) {
        const reply = await get(query);
        expect([reply.status, reply.body.error.code], query).toEqual([400, 'VALIDATION_FAILED']);
      }
      expect((await get('', co.secondEndpointId)).status).toBe(403);
      expect((await h.call('GET', `/v2/endpoints/${co.endpointId}/indicators`)).status).toBe(401);
    });
  });

  describe('booking pause', () => {
    it('lets an operator pause booking for the rest of the day, and resume it', async () => {
      const co = await setUpCompany(h, 'PauseCo');
      const user = await createUser(h, co);
      const operator = await loginOperator(h, co);
      const pause = (paused: unknown, queueId = co.queueId, token = operator, endpointId = co.endpointId) =>
        h.call('PUT', `/v2/endpoints/${endpointId}/queues/${queueId}/booking`, { token, body: { paused } });
      const state = expectStatus(await pause(true), 200);
      expect(state).toMatchObject({
        queueId: co.queueId,
        bookingIsOpened: false,
        bookingPausedUntil: '2026-03-02T23:00:00.000Z',
        queueIsOpened: false,
      });
      expect((await book(h, co, user.token)).body.error.code).toBe('BOOKING_CLOSED');
      expectStatus(await book(h, co, user.token, {}, co.secondQueueId), 201);
      // Midnight in Paris: a new day, booking is open again.
      h.clock.set('2026-03-02T23:00:00Z');
      expectStatus(await book(h, co, user.token), 201);
      h.clock.set('2026-03-02T12:00:00Z');
      expectStatus(await pause(true), 200);
      expect(expectStatus(await pause(false), 200)).toMatchObject({ bookingIsOpened: true, bookingPausedUntil: null });
      expectStatus(await book(h, co, user.token), 201);

      expect((await pause('yes')).status).toBe(400);
      const second = await loginOperator(h, co, co.secondEndpointId);
      expect((await pause(true, co.secondQueueId, second, co.secondEndpointId)).body.error.code).toBe('ENDPOINT_NOT_SERVING_QUEUE');
      expectStatus(
        await h.admin('POST', `/admin/companies/${co.companyId}/operators`, {
          loginId: 'bob',
          password: 'bob-password',
          roles: { allowedStates: [200], recall: false, manageCounter: false },
        }),
        201,
      );
      const bob = expectStatus(
        await h.call('POST', `/v2/operator/endpoint/${co.endpointId}/login`, { body: { loginId: 'bob', password: 'bob-password' } }),
        200,
      ).token;
      expect((await pause(true, co.queueId, bob)).body.error.code).toBe('ROLE_FORBIDS');
    });
  });
});
