/**
 * Lineberty's Validation API login and roles (docs/lineberty/auth.md): direct login with the
 * documented body, pre-login then assignment to a counter, logout, the roles tree, each role
 * enforced, and hidden mode.
 */
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachEngine } from '../../support/engines.js';
import { QueueHarness, expectStatus } from '../support/harness.js';
import { SseClient } from '../streams/support/sse-client.js';
import { book, createUser, loginOperator, openCounter, setUpCompany, type TestCompany } from '../support/company.js';

/** The ticket's id under either name (Lineberty's ticketId, or id). */
const idOf = (ticket: { ticketId?: string; id?: string }) => (ticket.ticketId ?? ticket.id) as string;

describeEachEngine('operator sessions and roles, Lineberty-style', (engine) => {
  let h: QueueHarness;
  beforeAll(async () => {
    h = await QueueHarness.start(engine);
  });
  afterAll(() => h.close());

  const counter = (co: TestCompany, token: string) => h.call('GET', `/v2/endpoints/${co.endpointId}`, { token });

  async function operatorWith(co: TestCompany, loginId: string, roles: Record<string, unknown>): Promise<string> {
    const password = `${loginId}-password`;
    expectStatus(await h.admin('POST', `/admin/companies/${co.companyId}/operators`, { loginId, password, roles }), 201);
    return expectStatus(
      await h.call('POST', `/v2/operator/endpoint/${co.endpointId}/login`, { body: { endpointId: co.endpointId, loginId, password } }),
      200,
    ).jwtToken;
  }

  describe('logging in', () => {
    it('accepts the documented body {endpointId, loginId, password}, and refuses an endpointId that is not the path’s', async () => {
      const co = await setUpCompany(h, 'DirectCo');
      const signedIn = expectStatus(
        await h.call('POST', `/v2/operator/endpoint/${co.endpointId}/login`, { body: { endpointId: co.endpointId, ...co.operator } }),
        200,
      );
      expect(signedIn.jwtToken).toBe(signedIn.token);
      expect(typeof decodeJwt(signedIn.token).jti).toBe('string');
      expect((await counter(co, signedIn.token)).status).toBe(200);
      const mismatch = await h.call('POST', `/v2/operator/endpoint/${co.endpointId}/login`, {
        body: { endpointId: co.secondEndpointId, ...co.operator },
      });
      expect([mismatch.status, mismatch.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    });

    it('pre-logs in with the company’s key, then assigns the session to a counter', async () => {
      const co = await setUpCompany(h, 'PreCo');
      const pre = await h.call('POST', `/v2/operator/preLogin?key=${co.bookingKey}`, { body: co.operator });
      expect(pre.status).toBe(200);
      expect(pre.body.endpoint).toBeNull();
      expect((await counter(co, pre.body.token)).status).toBe(403);
      expect((await h.call('GET', '/v2/operator/roles', { token: pre.body.token })).status).toBe(200);

      const assigned = expectStatus(
        await h.call('POST', '/v2/operator/session/assignToEndpoint', { token: pre.body.token, body: { endpointId: co.endpointId } }),
        200,
      );
      expect(assigned.endpoint.id ?? assigned.endpoint.endpointId).toBe(co.endpointId);
      expect(decodeJwt(assigned.token).jti).toBe(decodeJwt(pre.body.token).jti);
      expect((await counter(co, assigned.token)).status).toBe(200);

      const other = await setUpCompany(h, 'PreOtherCo');
      const foreign = await h.call('POST', '/v2/operator/session/assignToEndpoint', {
        token: pre.body.token,
        body: { endpointId: other.endpointId },
      });
      expect(foreign.status).toBe(404);
    });

    it('refuses a pre-login without a key of the company, or with a wrong password', async () => {
      const co = await setUpCompany(h, 'PreBadCo');
      expect((await h.call('POST', '/v2/operator/preLogin', { body: co.operator })).status).toBe(401);
      const wrong = await h.call('POST', `/v2/operator/preLogin?key=${co.bookingKey}`, { body: { ...co.operator, password: 'not it!' } });
      expect([wrong.status, wrong.body.error.code]).toEqual([401, 'INVALID_CREDENTIALS']);
      const other = await setUpCompany(h, 'PreBadOtherCo');
      const elsewhere = await h.call('POST', `/v2/operator/preLogin?key=${other.bookingKey}`, {
        body: { loginId: 'nobody-here', password: co.operator.password },
      });
      expect(elsewhere.status).toBe(401);
    });

    it('logs out: every token of the session stops working, other sessions go on', async () => {
      const co = await setUpCompany(h, 'LogoutCo');
      const pre = expectStatus(await h.call('POST', `/v2/operator/preLogin?key=${co.bookingKey}`, { body: co.operator }), 200);
      const assigned = expectStatus(
        await h.call('POST', '/v2/operator/session/assignToEndpoint', { token: pre.token, body: { endpointId: co.endpointId } }),
        200,
      );
      const otherSession = await loginOperator(h, co);
      expect((await h.call('POST', '/v2/operator/logout', { token: assigned.token })).status).toBe(204);
      expect((await counter(co, assigned.token)).status).toBe(401);
      expect((await h.call('GET', '/v2/operator/roles', { token: pre.token })).status).toBe(401);
      expect((await counter(co, otherSession)).status).toBe(200);
    });

    it('closes the operator’s open queue-state stream at logout', async () => {
      const co = await setUpCompany(h, 'LogoutStreamCo');
      const token = await loginOperator(h, co);
      const stream = await SseClient.open(`${h.url}/v2/queues/state/sse?queueIds=${co.queueId}`, { authorization: `Bearer ${token}` });
      expect(stream.status).toBe(200);
      await stream.next((event) => event.event === 'state');
      expect((await h.call('POST', '/v2/operator/logout', { token })).status).toBe(204);
      await stream.end();
      expect(stream.ended).toBe(true);
    });
  });

  describe('roles', () => {
    it('lists the role under every queue of every place, with authorizedSetState from the allowed states', async () => {
      const co = await setUpCompany(h, 'TreeCo');
      const token = await operatorWith(co, 'limited', {
        allowedStates: [200, 700],
        recall: false,
        manageCounter: false,
        showIndicators: false,
        bookingClosedForTodayAllowed: false,
        hiddenModeAllowed: true,
        extendedAttributes: { badge: 'B-12' },
      });
      const tree = expectStatus(await h.call('GET', '/v2/operator/roles', { token }), 200);
      expect(Object.keys(tree)).toEqual([co.companyId]);
      expect(tree[co.companyId][co.placeId][co.secondQueueId]).toEqual({
        authorizedSetState: { '0': [200], '50': [200], '100': [200], '200': [700], '300': [200], '500': [700] },
        recallAllowed: false,
        showIndicators: false,
        hiddenModeAllowed: true,
        bookingClosedForTodayAllowed: false,
        pauseAllowed: false,
        extendedAttributes: { badge: 'B-12' },
      });
    });

    it('enforces each role on the operator routes', async () => {
      const co = await setUpCompany(h, 'EnforceCo');
      const token = await operatorWith(co, 'restricted', {
        allowedStates: [200, 500],
        recall: false,
        manageCounter: false,
        showIndicators: false,
        bookingClosedForTodayAllowed: false,
      });
      const code = async (reply: Promise<{ body: any }>) => (await reply).body.error?.code ?? 'ok';
      expect(await code(h.call('PUT', `/v2/endpoints/${co.endpointId}`, { token, body: { isOpen: true } }))).toBe('ROLE_FORBIDS');
      expect(await code(h.call('GET', `/v2/endpoints/${co.endpointId}/indicators`, { token }))).toBe('ROLE_FORBIDS');
      expect(
        await code(h.call('PUT', `/v2/endpoints/${co.endpointId}/queues/${co.queueId}/booking`, { token, body: { paused: true } })),
      ).toBe('ROLE_FORBIDS');

      await openCounter(h, await loginOperator(h, co), co.endpointId);
      const user = await createUser(h, co);
      const ticket = expectStatus(await book(h, co, user.token), 201);
      expectStatus(await h.call('POST', `/v2/endpoints/${co.endpointId}/next`, { token, body: { previousTicket: 'keep' } }), 200);
      const base = `/v2/endpoints/${co.endpointId}/tickets/${idOf(ticket)}`;
      expect(await code(h.call('PUT', `${base}/recall`, { token }))).toBe('ROLE_FORBIDS');
      expect(await code(h.call('PUT', `${base}/state`, { token, body: { state: 700 } }))).toBe('ROLE_FORBIDS');
      expect(await code(h.call('PUT', `${base}/state`, { token, body: { state: 500 } }))).toBe('ok');

      // The same routes with every role: allowed (indicators, booking pause).
      const full = await loginOperator(h, co);
      expect((await h.call('GET', `/v2/endpoints/${co.endpointId}/indicators`, { token: full })).status).toBe(200);
      expect(
        (await h.call('PUT', `/v2/endpoints/${co.endpointId}/queues/${co.queueId}/booking`, { token: full, body: { paused: true } }))
          .status,
      ).toBe(200);
    });
  });

  describe('roles per queue', () => {
    const restricted = {
      allowedStates: [300],
      recall: false,
      manageCounter: false,
      showIndicators: false,
      bookingClosedForTodayAllowed: false,
    };

    it('stores a role per queue through the admin API and shows it in the roles tree', async () => {
      const co = await setUpCompany(h, 'QueueRoleCo');
      const token = await loginOperator(h, co);
      const operatorId = expectStatus(await h.admin('GET', `/admin/companies/${co.companyId}/operators`), 200)[0].id;
      const path = `/admin/operators/${operatorId}/queueRoles`;
      const set = expectStatus(await h.admin('PUT', `${path}/${co.secondQueueId}`, restricted), 200);
      expect(set).toMatchObject({ queueId: co.secondQueueId, roles: { ...restricted, hiddenModeAllowed: false, extendedAttributes: {} } });
      expect(expectStatus(await h.admin('GET', path), 200)).toEqual([set]);
      const tree = expectStatus(await h.call('GET', '/v2/operator/roles', { token }), 200)[co.companyId][co.placeId];
      expect(tree[co.queueId]).toMatchObject({ recallAllowed: true, pauseAllowed: true, showIndicators: true });
      expect(tree[co.secondQueueId]).toEqual({
        authorizedSetState: { '200': [300] },
        recallAllowed: false,
        showIndicators: false,
        hiddenModeAllowed: false,
        bookingClosedForTodayAllowed: false,
        pauseAllowed: false,
        extendedAttributes: {},
      });

      const other = await setUpCompany(h, 'OtherQueueRoleCo');
      const cases: Array<[string, string, unknown, number, string]> = [
        ['PUT', `${path}/${other.queueId}`, restricted, 404, 'QUEUE_NOT_FOUND'],
        ['PUT', `${path}/${co.queueId}`, { ...restricted, allowedStates: [0] }, 400, 'VALIDATION_FAILED'],
        ['PUT', `${path}/${co.queueId}`, { ...restricted, unknown: true }, 400, 'VALIDATION_FAILED'],
        ['PUT', `/admin/operators/opr_unknown/queueRoles/${co.queueId}`, restricted, 404, 'OPERATOR_NOT_FOUND'],
        ['DELETE', `${path}/${co.queueId}`, undefined, 404, 'NOT_FOUND'],
      ];
      for (const [method, route, body, status, code] of cases) {
        const reply = await h.admin(method, route, body);
        expect([reply.status, reply.body.error?.code], `${method} ${route}`).toEqual([status, code]);
      }
      // A company's admin key reaches its own operators only.
      const foreign = await h.call('PUT', `${path}/${co.queueId}`, { key: other.adminKey, body: restricted });
      expect([foreign.status, foreign.body.error.code]).toEqual([404, 'OPERATOR_NOT_FOUND']);
      expect((await h.admin('DELETE', `${path}/${co.secondQueueId}`)).status).toBe(204);
      expect(expectStatus(await h.admin('GET', path), 200)).toEqual([]);
    });

    it("enforces the queue's role on every operator action at a counter serving two queues", async () => {
      const co = await setUpCompany(h, 'QueueEnforceCo');
      const token = await loginOperator(h, co);
      const operatorId = expectStatus(await h.admin('GET', `/admin/companies/${co.companyId}/operators`), 200)[0].id;
      const path = `/admin/operators/${operatorId}/queueRoles`;
      expectStatus(await h.admin('PUT', `${path}/${co.secondQueueId}`, restricted), 200);
      const code = async (reply: Promise<{ body: any }>) => (await reply).body.error?.code ?? 'ok';

      // Counter 1 serves both queues: opening it needs manageCounter in each; counter 2 serves the first only.
      expect(await code(h.call('PUT', `/v2/endpoints/${co.endpointId}`, { token, body: { isOpen: true } }))).toBe('ROLE_FORBIDS');
      const atSecond = await loginOperator(h, co, co.secondEndpointId);
      expect(await code(h.call('PUT', `/v2/endpoints/${co.secondEndpointId}`, { token: atSecond, body: { isOpen: false } }))).toBe('ok');
      // Opened by a manager's `operator` key (every role); the operator's own login is the restricted one.
      expectStatus(await h.call('PUT', `/v2/endpoints/${co.endpointId}`, { key: co.operatorKey, body: { isOpen: true } }), 200);

      const user = await createUser(h, co);
      const billing = expectStatus(await book(h, co, user.token, {}, co.secondQueueId), 201);
      const accounts = expectStatus(await book(h, co, user.token, {}, co.queueId), 201);
      // Call next skips the queue where the role may not call.
      expect(idOf(expectStatus(await h.call('POST', `/v2/endpoints/${co.endpointId}/next`, { token }), 200))).toBe(idOf(accounts));
      expect(await code(h.call('POST', `/v2/endpoints/${co.endpointId}/next`, { token, body: { previousTicket: 'keep' } }))).toBe(
        'NO_TICKET_WAITING',
      );
      const billingState = `/v2/endpoints/${co.endpointId}/tickets/${idOf(billing)}/state`;
      expect(await code(h.call('PUT', billingState, { token, body: { state: 200 } }))).toBe('ROLE_FORBIDS');
      const accountsBase = `/v2/endpoints/${co.endpointId}/tickets/${idOf(accounts)}`;
      expect(await code(h.call('PUT', `${accountsBase}/recall`, { token }))).toBe('ok');
      const booking = (queueId: string) =>
        code(h.call('PUT', `/v2/endpoints/${co.endpointId}/queues/${queueId}/booking`, { token, body: { paused: false } }));
      expect([await booking(co.queueId), await booking(co.secondQueueId)]).toEqual(['ok', 'ROLE_FORBIDS']);
      // Indicators count the queues whose role shows them.
      const indicators = expectStatus(await h.call('GET', `/v2/endpoints/${co.endpointId}/indicators`, { token }), 200);
      expect(indicators.queues.map((queue: { queueId: string }) => queue.queueId)).toEqual([co.queueId]);
      expectStatus(await h.admin('PUT', `${path}/${co.queueId}`, restricted), 200);
      expect(await code(h.call('GET', `/v2/endpoints/${co.endpointId}/indicators`, { token }))).toBe('ROLE_FORBIDS');
      expect(await code(h.call('PUT', `${accountsBase}/recall`, { token }))).toBe('ROLE_FORBIDS');

      // Removed, the operator's own role applies again, at once.
      expectStatus(await h.admin('DELETE', `${path}/${co.secondQueueId}`), 204);
      expect(await code(h.call('PUT', billingState, { token, body: { state: 200 } }))).toBe('ok');
    });

    it('allows hidden mode in the queues whose role allows it', async () => {
      const co = await setUpCompany(h, 'QueueHiddenCo', { hiddenModeAllowed: true });
      const token = await loginOperator(h, co);
      const operatorId = expectStatus(await h.admin('GET', `/admin/companies/${co.companyId}/operators`), 200)[0].id;
      const user = await createUser(h, co);
      expectStatus(await book(h, co, user.token, {}, co.queueId), 201);
      const billing = expectStatus(await book(h, co, user.token, {}, co.secondQueueId), 201);
      expect((await h.call('POST', `/v2/endpoints/${co.endpointId}/next`, { token })).body.error.code).toBe('ENDPOINT_CLOSED');
      expectStatus(
        await h.admin('PUT', `/admin/operators/${operatorId}/queueRoles/${co.secondQueueId}`, {
          allowedStates: [200, 300, 400, 500, 600, 700],
          recall: true,
          manageCounter: true,
          hiddenModeAllowed: true,
        }),
        200,
      );
      // Only the Billing ticket can be called at the closed counter, though Accounts' was booked first.
      expect(idOf(expectStatus(await h.call('POST', `/v2/endpoints/${co.endpointId}/next`, { token }), 200))).toBe(idOf(billing));
    });
  });

  describe('hidden mode', () => {
    it('acts at a closed counter only where both the queue and the role allow it', async () => {
      const co = await setUpCompany(h, 'HiddenCo');
      expectStatus(await h.admin('PATCH', `/admin/queues/${co.queueId}`, { settings: { hiddenModeAllowed: true } }), 200);
      const hidden = await operatorWith(co, 'hidden', {
        allowedStates: [200, 300, 400, 500, 600, 700],
        recall: true,
        manageCounter: true,
        hiddenModeAllowed: true,
      });
      const plain = await loginOperator(h, co);
      const user = await createUser(h, co);
      // Booked first, in the queue without hidden mode: call-next at the closed counter must skip it.
      const inSecond = expectStatus(await book(h, co, user.token, {}, co.secondQueueId), 201);
      const inFirst = expectStatus(await book(h, co, user.token, {}, co.queueId), 201);

      const refused = await h.call('POST', `/v2/endpoints/${co.endpointId}/next`, { token: plain, body: { previousTicket: 'keep' } });
      expect([refused.status, refused.body.error.code]).toEqual([409, 'ENDPOINT_CLOSED']);
      const called = expectStatus(
        await h.call('POST', `/v2/endpoints/${co.endpointId}/next`, { token: hidden, body: { previousTicket: 'keep' } }),
        200,
      );
      expect(idOf(called)).toBe(idOf(inFirst));
      const direct = await h.call('PUT', `/v2/endpoints/${co.endpointId}/tickets/${idOf(inSecond)}/state`, {
        token: hidden,
        body: { state: 200 },
      });
      expect([direct.status, direct.body.error.code]).toEqual([409, 'ENDPOINT_CLOSED']);
      expect(expectStatus(await counter(co, hidden), 200).isOpen).toBe(false);
    });
  });
});
