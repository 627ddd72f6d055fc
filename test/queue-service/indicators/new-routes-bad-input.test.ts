/**
 * Every route issue 5 added answers malformed input with the one error shape and a 4xx — never a
 * 500, never a stack trace: wrong types, unknown fields, malformed ids, JSON that is not JSON.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../support/engines.js';
import { QueueHarness, expectStatus, type CallOptions } from '../support/harness.js';
import { book, createUser, loginOperator, setUpCompany } from '../support/company.js';

describeEachEngine('bad input on the queue-depth routes', (engine) => {
  let h: QueueHarness;
  beforeAll(async () => {
    h = await QueueHarness.start(engine);
  });
  afterAll(() => h.close());

  it('gets the error shape and a 4xx on every new route', async () => {
    const co = await setUpCompany(h, 'BadInputCo');
    const user = await createUser(h, co);
    const operator = await loginOperator(h, co);
    const ticket = expectStatus(await book(h, co, user.token), 201);
    const type = expectStatus(await h.admin('POST', `/admin/queues/${co.queueId}/appointmentTypes`, { name: 'T', durationMinutes: 30 }), 201);
    const asUser: CallOptions = { key: co.bookingKey, token: user.token };
    const asKey: CallOptions = { key: co.bookingKey };
    const asOperator: CallOptions = { token: operator };
    const asAdmin: CallOptions = { token: 'test-admin-token-0123456789' };
    const cases: Array<[string, string, CallOptions]> = [
      ['GET', `/v2/queues/${co.queueId}/appointmentTypes?limit=3`, asKey],
      ['GET', '/v2/queues/bad%20id/appointmentTypes', asKey],
      ['GET', `/v2/queues/${co.queueId}/openingHours?x=1`, asKey],
      ['GET', `/v2/queues/${co.queueId}/availabilities?date=2026-13-01`, asKey],
      ['GET', `/v2/queues/${co.queueId}/availabilities?date=2026-03-02&groupSize=two`, asKey],
      ['GET', `/v2/queues/${co.queueId}/daysWithAvailabilities?start=2026-03-02&end=2026-03-02&groupSize=-1`, asKey],
      ['POST', `/admin/queues/${co.queueId}/appointmentTypes`, { ...asAdmin, body: { name: '', durationMinutes: 30 } }],
      ['POST', `/admin/queues/${co.queueId}/appointmentTypes`, { ...asAdmin, body: { name: 'x', durationMinutes: 30, capacity: 0 } }],
      ['POST', `/admin/queues/${co.queueId}/appointmentTypes`, { ...asAdmin, raw: '{"name":' }],
      ['PATCH', `/admin/appointmentTypes/${type.id}`, { ...asAdmin, body: { durationMinutes: 30.5 } }],
      ['PATCH', '/admin/appointmentTypes/apt_missing', { ...asAdmin, body: { name: 'y' } }],
      ['PUT', `/admin/queues/${co.queueId}/openingHours`, { ...asAdmin, body: { weekly: { mon: [{ from: '25:00', to: '26:00' }] } } }],
      ['PUT', `/admin/queues/${co.queueId}/openingHours`, { ...asAdmin, body: { weekly: {}, exceptions: [{ date: '2026-3-2', hours: [] }] } }],
      ['PUT', `/admin/queues/${co.queueId}/openingHours`, { ...asAdmin, body: [] }],
      ['PUT', `/v2/user/tickets/${ticket.id}/confirm`, { ...asUser, body: { yes: true } }],
      ['PUT', `/v2/user/tickets/${ticket.id}/report`, { ...asUser, body: { reportFor: 12 } }],
      ['PUT', `/v2/user/tickets/${ticket.id}/report`, { ...asUser, body: {} }],
      ['PUT', `/v2/user/tickets/${ticket.id}/rate`, { ...asUser, body: { rating: 0 } }],
      ['PUT', `/v2/user/tickets/${ticket.id}/rate`, { ...asUser, raw: 'rating=5', headers: { 'content-type': 'application/x-www-form-urlencoded' } }],
      ['PUT', `/v2/endpoints/${co.endpointId}/queues/${co.queueId}/booking`, { ...asOperator, body: {} }],
      ['PUT', `/v2/endpoints/${co.endpointId}/queues/que_missing/booking`, { ...asOperator, body: { paused: true } }],
      ['GET', `/v2/endpoints/${co.endpointId}/indicators?from=2026-03-02`, asOperator],
      ['GET', `/v2/display/places/${co.placeId}/endpoints?lang=fr`, asKey],
      ['GET', '/v2/display/places/plc_missing/endpoints', asKey],
      ['GET', `/v2/user/tickets/sse?lastEventId=abc`, asUser],
      ['GET', `/v2/user/tickets/${ticket.id}/sse?lastEventId=1e3`, asUser],
      ['GET', `/v2/queues/state/sse?queueIds=${co.queueId}&lastEventId=x`, asKey],
      ['GET', `/v2/places/${co.placeId}/queuesStates/sse?queueIds=${co.queueId}`, asKey],
      ['GET', `/v2/display/places/${co.placeId}/calls/sse?lastEventId=%20-1`, asKey],
    ];
    for (const [method, path, options] of cases) {
      const reply = await h.call(method, path, options);
      expect(reply.status, `${method} ${path}`).toBeGreaterThanOrEqual(400);
      expect(reply.status, `${method} ${path}`).toBeLessThan(500);
      expect(reply.body, `${method} ${path}`).toEqual({ error: { code: expect.any(String), message: expect.any(String), ...(reply.body?.error?.details ? { details: expect.anything() } : {}) } });
    }
  });
});
