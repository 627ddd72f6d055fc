import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../support/engines.js';
import { createUser, loginOperator, setUpCompany, type TestCompany } from '../support/company.js';
import { QueueHarness, type Reply } from '../support/harness.js';

const refusal = (code: string) => ({ error: { code, message: expect.any(String) } });
const statusAndBody = (reply: Reply) => ({ status: reply.status, body: reply.body });

describeEachEngine('queue service route groups', (engine) => {
  let h: QueueHarness;
  let acme: TestCompany;
  let other: TestCompany;

  beforeAll(async () => {
    h = await QueueHarness.start(engine);
    acme = await setUpCompany(h);
    other = await setUpCompany(h, 'Other');
  });
  afterAll(() => h.close());

  it('refuses a public booking route without a key, with a key that is not valid, or without the booking scope', async () => {
    expect(statusAndBody(await h.call('GET', '/v2/places'))).toEqual({ status: 401, body: refusal('UNAUTHENTICATED') });
    expect(statusAndBody(await h.call('GET', '/v2/places', { key: 'not-a-key' }))).toEqual({
      status: 401,
      body: refusal('UNAUTHENTICATED'),
    });
    expect(statusAndBody(await h.call('GET', `/v2/display/places/${acme.placeId}/endpoints`, { key: acme.operatorKey }))).toEqual({
      status: 403,
      body: refusal('FORBIDDEN'),
    });
    expect((await h.call('GET', `/v2/places?key=${acme.bookingKey}`)).status).toBe(200);
  });

  it("asks the user group for a user token of the key's company on top of the booking key", async () => {
    const user = await createUser(h, acme);
    const stranger = await createUser(h, other);
    expect(statusAndBody(await h.call('GET', '/v2/user/tickets', { key: acme.bookingKey }))).toEqual({
      status: 401,
      body: refusal('UNAUTHENTICATED'),
    });
    expect(statusAndBody(await h.call('GET', '/v2/user/tickets', { key: acme.bookingKey, token: stranger.token }))).toEqual({
      status: 401,
      body: refusal('UNAUTHENTICATED'),
    });
    expect(statusAndBody(await h.call('GET', '/v2/user/tickets', { key: acme.bookingKey, token: user.token }))).toEqual({
      status: 200,
      body: { tickets: {} },
    });
  });

  it('books with a server key alone, but not with a booking key alone', async () => {
    const byServer = await h.call('POST', `/v2/queues/${acme.queueId}/ticket`, { key: acme.serverKey, body: {} });
    const byBookingKey = await h.call('POST', `/v2/queues/${acme.queueId}/ticket`, { key: acme.bookingKey, body: {} });
    expect(byServer.status).toBe(201);
    expect(statusAndBody(byBookingKey)).toEqual({ status: 403, body: refusal('FORBIDDEN') });
  });

  it('lets an operator act only at the counter they signed in at, and an operator key at any counter of its company', async () => {
    const token = await loginOperator(h, acme);
    expect((await h.call('GET', `/v2/endpoints/${acme.endpointId}`, { token })).status).toBe(200);
    expect(statusAndBody(await h.call('GET', `/v2/endpoints/${acme.secondEndpointId}`, { token }))).toEqual({
      status: 403,
      body: refusal('FORBIDDEN'),
    });
    expect((await h.call('GET', `/v2/endpoints/${acme.secondEndpointId}`, { key: acme.operatorKey })).status).toBe(200);
    expect(statusAndBody(await h.call('GET', `/v2/endpoints/${acme.endpointId}`, { key: acme.bookingKey }))).toEqual({
      status: 403,
      body: refusal('FORBIDDEN'),
    });
    expect(statusAndBody(await h.call('GET', '/v2/operator/roles', { key: acme.operatorKey }))).toEqual({
      status: 401,
      body: refusal('UNAUTHENTICATED'),
    });
  });

  it('keeps the admin group to the admin token and admin-scoped keys, each key to its own company', async () => {
    expect(statusAndBody(await h.call('GET', '/admin/companies'))).toEqual({ status: 401, body: refusal('UNAUTHENTICATED') });
    expect(statusAndBody(await h.call('GET', '/admin/companies', { token: 'not-the-admin-token' }))).toEqual({
      status: 401,
      body: refusal('UNAUTHENTICATED'),
    });
    expect(statusAndBody(await h.call('GET', '/admin/companies', { key: acme.bookingKey }))).toEqual({
      status: 403,
      body: refusal('FORBIDDEN'),
    });
    const own = await h.call('GET', '/admin/companies', { key: acme.adminKey });
    expect(own.body.map((company: { id: string }) => company.id)).toEqual([acme.companyId]);
    expect((await h.call('GET', `/admin/queues/${other.queueId}/openingHours`, { key: acme.adminKey })).body).toEqual(
      refusal('QUEUE_NOT_FOUND'),
    );
  });

  it('validates a request before checking its credential, as the handlers did', async () => {
    const reply = await h.call('PUT', `/v2/endpoints/${acme.endpointId}`, { body: { isOpen: 'yes' } });
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('answers CORS for the booking routes browsers call with ?key=, and none for counter staff or admin', async () => {
    const origin = { origin: 'https://elsewhere.example' };
    const cors = (reply: { headers: Headers }) => [...reply.headers.keys()].filter((name) => name.startsWith('access-control-'));
    const places = await h.call('GET', '/v2/places', { key: acme.bookingKey, headers: origin });
    const preflight = await h.call('OPTIONS', '/v2/places', { headers: { ...origin, 'access-control-request-method': 'GET' } });
    expect([places.status, places.headers.get('access-control-allow-origin')]).toEqual([200, '*']);
    expect([preflight.status, preflight.headers.get('access-control-allow-methods')]).toEqual([204, 'GET, POST, PUT, DELETE']);
    const closed = [
      await h.call('OPTIONS', `/v2/endpoints/${acme.endpointId}/next`, { headers: { ...origin, 'access-control-request-method': 'POST' } }),
      await h.call('OPTIONS', '/admin/companies', { headers: { ...origin, 'access-control-request-method': 'GET' } }),
      await h.call('GET', `/v2/endpoints/${acme.endpointId}`, { key: acme.operatorKey, headers: origin }),
    ];
    expect(closed.map((reply) => reply.status)).toEqual([404, 404, 200]);
    for (const reply of closed) expect(cors(reply)).toEqual([]);
  });
});
