import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachEngine } from '../../support/engines.js';
import { QueueHarness, expectStatus } from '../support/harness.js';
import { book, createUser, loginOperator, openCounter, setUpCompany, type TestCompany } from '../support/company.js';

describeEachEngine('validation API', (engine) => {
  let h: QueueHarness;
  beforeAll(async () => {
    h = await QueueHarness.start(engine);
  });
  afterAll(() => h.close());

  async function freshCounter(name: string) {
    const co = await setUpCompany(h, name);
    const user = await createUser(h, co);
    const token = await loginOperator(h, co);
    return { co, user, token };
  }
  const next = (co: TestCompany, token: string, endpointId = co.endpointId) =>
    h.call('POST', `/v2/endpoints/${endpointId}/next`, { token, body: { previousTicket: 'keep' } });
  const setState = (co: TestCompany, token: string, ticketId: string, state: number) =>
    h.call('PUT', `/v2/endpoints/${co.endpointId}/tickets/${ticketId}/state`, { token, body: { state } });

  describe('signing in', () => {
    it('refuses a wrong password or login the same way', async () => {
      const co = await setUpCompany(h, 'LoginCo');
      const wrongPassword = await h.call('POST', `/v2/operator/endpoint/${co.endpointId}/login`, {
        body: { loginId: 'alice', password: 'nope-nope' },
      });
      const wrongLogin = await h.call('POST', `/v2/operator/endpoint/${co.endpointId}/login`, {
        body: { loginId: 'mallory', password: 'nope-nope' },
      });
      expect([wrongPassword.status, wrongLogin.status]).toEqual([401, 401]);
      expect(wrongPassword.body).toEqual(wrongLogin.body);
      expect(wrongPassword.body.error.code).toBe('INVALID_CREDENTIALS');
    });

    it("does not let an operator sign in at another company's counter", async () => {
      const a = await setUpCompany(h, 'A-Co');
      const b = await setUpCompany(h, 'B-Co');
      const reply = await h.call('POST', `/v2/operator/endpoint/${b.endpointId}/login`, {
        body: { loginId: 'alice', password: 'wrong for b' },
      });
      expect(reply.status).toBe(401);
      const token = await loginOperator(h, a);
      expect((await h.call('GET', `/v2/endpoints/${b.endpointId}`, { token })).status).toBe(403);
      expect((await h.call('GET', `/v2/endpoints/${a.secondEndpointId}`, { token })).status).toBe(403);
      expect((await h.call('GET', `/v2/endpoints/${b.endpointId}`, { key: a.operatorKey })).status).toBe(404);
    });

    it('returns the roles of the signed-in operator, nested company → place → queue as Lineberty does', async () => {
      const { co, token } = await freshCounter('RolesCo');
      const roles = expectStatus(await h.call('GET', '/v2/operator/roles', { token }), 200);
      const role = roles[co.companyId][co.placeId][co.queueId];
      expect(Object.keys(roles[co.companyId][co.placeId]).sort()).toEqual([co.queueId, co.secondQueueId].sort());
      expect(role).toMatchObject({ recallAllowed: true, pauseAllowed: true, showIndicators: true, hiddenModeAllowed: false });
      expect(role.authorizedSetState['0']).toEqual([200, 600]);
    });
  });

  describe('calling tickets', () => {
    it('refuses to call next at a closed counter, and says when nobody waits', async () => {
      const { co, token } = await freshCounter('ClosedCo');
      expect((await next(co, token)).body.error.code).toBe('ENDPOINT_CLOSED');
      await openCounter(h, token, co.endpointId);
      const empty = await next(co, token);
      expect(empty.status).toBe(404);
      expect(empty.body.error.code).toBe('NO_TICKET_WAITING');
    });

    it('calls FIFO across the queues a counter serves, and only from those queues', async () => {
      const { co, user, token } = await freshCounter('FifoCo');
      const booked: string[] = [];
      for (const queue of [co.queueId, co.secondQueueId, co.queueId, co.secondQueueId]) {
        h.clock.advance(1000);
        booked.push(expectStatus(await book(h, co, user.token, {}, queue), 201).label);
      }
      expect(booked).toEqual(['A001', 'B001', 'A002', 'B002']);
      await openCounter(h, token, co.endpointId);
      const calledLabels: string[] = [];
      for (let i = 0; i < 4; i++) calledLabels.push(expectStatus(await next(co, token), 200).label);
      expect(calledLabels).toEqual(booked);

      // Counter 2 serves only queue A: a Billing ticket is never its to call.
      h.clock.advance(1000);
      expectStatus(await book(h, co, user.token, {}, co.secondQueueId), 201);
      const token2 = await loginOperator(h, co, co.secondEndpointId);
      await openCounter(h, token2, co.secondEndpointId);
      expect((await next(co, token2, co.secondEndpointId)).body.error.code).toBe('NO_TICKET_WAITING');
    });

    it('never calls one ticket at two counters racing for it', async () => {
      const { co, user, token } = await freshCounter('RaceCo');
      const token2 = await loginOperator(h, co, co.secondEndpointId);
      await openCounter(h, token, co.endpointId);
      await openCounter(h, token2, co.secondEndpointId);
      for (let i = 0; i < 6; i++) expectStatus(await book(h, co, user.token), 201);
      const calls = await Promise.all(
        Array.from({ length: 6 }, (_, i) => next(co, i % 2 ? token2 : token, i % 2 ? co.secondEndpointId : co.endpointId)),
      );
      const ids = calls.map((reply) => expectStatus(reply, 200).ticketId);
      expect(new Set(ids).size).toBe(6);
    });

    it('recalls a called ticket, counting recalls and sending TICKET_CALLED again', async () => {
      const { co, user, token } = await freshCounter('RecallCo');
      const ticket = expectStatus(await book(h, co, user.token, { pushId: 'p1', sendClientPush: true }), 201);
      await openCounter(h, token, co.endpointId);
      expectStatus(await next(co, token), 200);
      const recalled = expectStatus(
        await h.call('PUT', `/v2/endpoints/${co.endpointId}/tickets/${ticket.ticketId}/recall`, { token }),
        200,
      );
      expect(recalled).toMatchObject({ state: 200, recallCount: 1 });
      const onHold = expectStatus(await setState(co, token, ticket.ticketId, 300), 200);
      expect(onHold.state).toBe(300);
      expect(
        expectStatus(await h.call('PUT', `/v2/endpoints/${co.endpointId}/tickets/${ticket.ticketId}/recall`, { token }), 200).recallCount,
      ).toBe(2);
      const { messages } = expectStatus(await h.admin('GET', `/admin/messages?ticketId=${ticket.ticketId}`), 200);
      expect(messages.map((m: any) => m.action).reverse()).toEqual([
        'TICKET_BOOKED',
        'TICKET_CALLED',
        'TICKET_CALLED',
        'TICKET_ONHOLD',
        'TICKET_CALLED',
      ]);
      const waiting = expectStatus(await book(h, co, user.token), 201);
      expect((await h.call('PUT', `/v2/endpoints/${co.endpointId}/tickets/${waiting.ticketId}/recall`, { token })).status).toBe(409);
    });
  });

  describe('changing state', () => {
    it('follows the transition table and answers 409 with the allowed states otherwise', async () => {
      const { co, user, token } = await freshCounter('StateCo');
      await openCounter(h, token, co.endpointId);
      const ticket = expectStatus(await book(h, co, user.token), 201);
      const toDone = await setState(co, token, ticket.ticketId, 700);
      expect(toDone.status).toBe(409);
      expect(toDone.body.error).toMatchObject({ code: 'INVALID_TRANSITION', details: { from: 0, to: 700, allowed: [50, 100, 200, 600] } });
      expectStatus(await setState(co, token, ticket.ticketId, 200), 200);
      expectStatus(await setState(co, token, ticket.ticketId, 500), 200);
      expectStatus(await setState(co, token, ticket.ticketId, 700), 200);
      expect((await setState(co, token, ticket.ticketId, 600)).status).toBe(409);
      expect((await setState(co, token, ticket.ticketId, 100)).status).toBe(400);
      expect((await setState(co, token, ticket.ticketId, '200' as never)).status).toBe(400);
    });

    it('limits an operator to the states their role allows', async () => {
      const co = await setUpCompany(h, 'LimitedCo');
      expectStatus(
        await h.admin('POST', `/admin/companies/${co.companyId}/operators`, {
          loginId: 'trainee',
          password: 'trainee-pass',
          roles: { allowedStates: [200, 500, 700], recall: false, manageCounter: false },
        }),
        201,
      );
      const token = expectStatus(
        await h.call('POST', `/v2/operator/endpoint/${co.endpointId}/login`, { body: { loginId: 'trainee', password: 'trainee-pass' } }),
        200,
      ).token;
      expect((await h.call('PUT', `/v2/endpoints/${co.endpointId}`, { token, body: { isOpen: true } })).body.error.code).toBe(
        'ROLE_FORBIDS',
      );
      await openCounter(h, await loginOperator(h, co), co.endpointId);
      const user = await createUser(h, co);
      const ticket = expectStatus(await book(h, co, user.token), 201);
      expectStatus(await next(co, token), 200);
      expect((await setState(co, token, ticket.ticketId, 600)).body.error.code).toBe('ROLE_FORBIDS');
      expect((await h.call('PUT', `/v2/endpoints/${co.endpointId}/tickets/${ticket.ticketId}/recall`, { token })).body.error.code).toBe(
        'ROLE_FORBIDS',
      );
      expectStatus(await setState(co, token, ticket.ticketId, 500), 200);
    });

    it("answers 404 for a ticket of another company and 409 for one of a queue the counter doesn't serve", async () => {
      const { co, user, token } = await freshCounter('ScopeCo');
      const other = await freshCounter('OtherCo');
      const foreign = expectStatus(await book(h, other.co, other.user.token), 201);
      expect((await setState(co, token, foreign.ticketId, 600)).status).toBe(404);
      const token2 = await loginOperator(h, co, co.secondEndpointId);
      const billing = expectStatus(await book(h, co, user.token, {}, co.secondQueueId), 201);
      const reply = await h.call('PUT', `/v2/endpoints/${co.secondEndpointId}/tickets/${billing.ticketId}/state`, {
        token: token2,
        body: { state: 600 },
      });
      expect(reply.body.error.code).toBe('ENDPOINT_NOT_SERVING_QUEUE');
    });

    it('lets a key with the operator scope act at any counter of its company', async () => {
      const { co, user } = await freshCounter('KioskCo');
      expectStatus(await h.call('PUT', `/v2/endpoints/${co.endpointId}`, { key: co.operatorKey, body: { isOpen: true } }), 200);
      const ticket = expectStatus(await book(h, co, user.token), 201);
      expect(
        expectStatus(
          await h.call('POST', `/v2/endpoints/${co.endpointId}/next`, { key: co.operatorKey, body: { previousTicket: 'keep' } }),
          200,
        ).ticketId,
      ).toBe(ticket.ticketId);
      expect(
        (await h.call('POST', `/v2/endpoints/${co.endpointId}/next`, { key: co.bookingKey, body: { previousTicket: 'keep' } })).status,
      ).toBe(403);
    });
  });

  describe('listing and searching', () => {
    it('finds tickets by state, label, name and phone, treating wildcards literally', async () => {
      const { co, user, token } = await freshCounter('SearchCo');
      expectStatus(await book(h, co, user.token, { userData: { name: 'Zoé Martin', phone: '+33611111111' } }), 201);
      expectStatus(await book(h, co, user.token, { userData: { name: 'Paul' } }), 201);
      const list = (query: string) =>
        h
          .call('GET', `/v2/endpoints/${co.endpointId}/tickets?${query}`, { token })
          .then((r) => expectStatus(r, 200).tickets.map((t: any) => t.label));
      expect(await list('state=0')).toEqual(['A001', 'A002']);
      expect(await list('q=a002')).toEqual(['A002']);
      expect(await list('q=martin')).toEqual(['A001']);
      expect(await list('q=%2B3361')).toEqual(['A001']);
      expect(await list('q=%25')).toEqual(['A001', 'A002']);
      expect(await list('state=200')).toEqual([]);
      expect((await h.call('GET', `/v2/endpoints/${co.endpointId}/tickets?state=abc`, { token })).status).toBe(400);
    });

    it('lists tickets by state within a time range of booking', async () => {
      const { co, user, token } = await freshCounter('RangeCo');
      const labels: string[] = [];
      for (const time of ['08:00', '09:00', '10:00']) {
        h.clock.set(`2026-03-02T${time}:00Z`);
        labels.push(expectStatus(await book(h, co, user.token), 201).label);
      }
      const list = (query: string) =>
        h
          .call('GET', `/v2/endpoints/${co.endpointId}/tickets?${query}`, { token })
          .then((r) => expectStatus(r, 200).tickets.map((t: any) => t.label));
      expect(await list('state=0&from=2026-03-02T08:30:00Z&to=2026-03-02T10:00:00Z')).toEqual([labels[1]]);
      expect(await list('state=0&from=2026-03-02T08:00:00Z')).toEqual(labels);
      expect(await list('state=600&from=2026-03-02T08:00:00Z')).toEqual([]);
      expect((await h.call('GET', `/v2/endpoints/${co.endpointId}/tickets?from=soon`, { token })).status).toBe(400);
      h.clock.set('2026-03-02T09:00:00Z');
    });
  });
});
