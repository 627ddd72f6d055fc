/**
 * The appointment, rating, booking-pause, indicator, display and live-stream routes answer bad input
 * with the one error shape (docs/design.md §Errors) and the exact code and status each case calls
 * for — never a 500, never a stack trace: wrong types, unknown fields, malformed ids, bodies that are
 * not JSON, ids of nothing.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../support/engines.js';
import { ADMIN_TOKEN, QueueHarness, expectStatus, type CallOptions } from '../support/harness.js';
import { book, createUser, loginOperator, setUpCompany } from '../support/company.js';

interface Fixture {
  queueId: string;
  placeId: string;
  endpointId: string;
  ticketId: string;
  typeId: string;
  asUser: CallOptions;
  asKey: CallOptions;
  asOperator: CallOptions;
}

interface BadInputCase {
  title: string;
  request: (f: Fixture) => [method: string, path: string, options: CallOptions];
  status: number;
  code: string;
  /** The field the error names, where it names one. */
  field?: string;
}

const asAdmin: CallOptions = { token: ADMIN_TOKEN };

const CASES: BadInputCase[] = [
  {
    title: 'appointment types of a queue with an unknown query field',
    request: (f) => ['GET', `/v2/queues/${f.queueId}/appointmentTypes?limit=3`, f.asKey],
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'querystring.limit',
  },
  {
    title: 'appointment types of a queue id with a space in it',
    request: (f) => ['GET', '/v2/queues/bad%20id/appointmentTypes', f.asKey],
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'params.queueId',
  },
  {
    title: 'opening hours with an unknown query field',
    request: (f) => ['GET', `/v2/queues/${f.queueId}/openingHours?x=1`, f.asKey],
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'querystring.x',
  },
  {
    title: 'availabilities of a date with month 13',
    request: (f) => ['GET', `/v2/queues/${f.queueId}/availabilities?date=2026-13-01`, f.asKey],
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    title: 'availabilities for a group size that is not a number',
    request: (f) => ['GET', `/v2/queues/${f.queueId}/availabilities?date=2026-03-02&groupSize=two`, f.asKey],
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'querystring.groupSize',
  },
  {
    title: 'days with availabilities for a negative group size',
    request: (f) => ['GET', `/v2/queues/${f.queueId}/daysWithAvailabilities?start=2026-03-02&end=2026-03-02&groupSize=-1`, f.asKey],
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'querystring.groupSize',
  },
  {
    title: 'an appointment type with an empty name',
    request: (f) => ['POST', `/admin/queues/${f.queueId}/appointmentTypes`, { ...asAdmin, body: { name: '', durationMinutes: 30 } }],
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'body.name',
  },
  {
    title: 'an appointment type with capacity 0',
    request: (f) => [
      'POST',
      `/admin/queues/${f.queueId}/appointmentTypes`,
      { ...asAdmin, body: { name: 'x', durationMinutes: 30, capacity: 0 } },
    ],
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'body.capacity',
  },
  {
    title: 'an appointment type whose body is cut-off JSON',
    request: (f) => ['POST', `/admin/queues/${f.queueId}/appointmentTypes`, { ...asAdmin, raw: '{"name":' }],
    status: 400,
    code: 'MALFORMED_JSON',
  },
  {
    title: 'an appointment type changed to a fractional duration',
    request: (f) => ['PATCH', `/admin/appointmentTypes/${f.typeId}`, { ...asAdmin, body: { durationMinutes: 30.5 } }],
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'body.durationMinutes',
  },
  {
    title: 'a change of an appointment type that does not exist',
    request: () => ['PATCH', '/admin/appointmentTypes/apt_missing', { ...asAdmin, body: { name: 'y' } }],
    status: 404,
    code: 'APPOINTMENT_TYPE_NOT_FOUND',
  },
  {
    title: 'opening hours from 25:00',
    request: (f) => [
      'PUT',
      `/admin/queues/${f.queueId}/openingHours`,
      { ...asAdmin, body: { weekly: { mon: [{ from: '25:00', to: '26:00' }] } } },
    ],
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'body.weekly.mon.0.from',
  },
  {
    title: 'an opening-hours exception on a date without leading zeros',
    request: (f) => [
      'PUT',
      `/admin/queues/${f.queueId}/openingHours`,
      { ...asAdmin, body: { weekly: {}, exceptions: [{ date: '2026-3-2', hours: [] }] } },
    ],
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'body.exceptions.0.date',
  },
  {
    title: 'opening hours given as an array',
    request: (f) => ['PUT', `/admin/queues/${f.queueId}/openingHours`, { ...asAdmin, body: [] }],
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'body',
  },
  // The confirm route takes no body and ignores one: what it refuses is the state of a ticket that was never asked to confirm.
  {
    title: 'a confirmation of a ticket not waiting for one',
    request: (f) => ['PUT', `/v2/user/tickets/${f.ticketId}/confirm`, { ...f.asUser, body: { yes: true } }],
    status: 409,
    code: 'INVALID_TRANSITION',
  },
  {
    title: 'a postponement to a number instead of a date-time',
    request: (f) => ['PUT', `/v2/user/tickets/${f.ticketId}/report`, { ...f.asUser, body: { reportFor: 12 } }],
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'body.reportFor',
  },
  {
    title: 'a postponement without reportFor',
    request: (f) => ['PUT', `/v2/user/tickets/${f.ticketId}/report`, { ...f.asUser, body: {} }],
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'body.reportFor',
  },
  {
    title: 'a rating of 0',
    request: (f) => ['PUT', `/v2/user/tickets/${f.ticketId}/rate`, { ...f.asUser, body: { rating: 0 } }],
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'body.rating',
  },
  {
    title: 'a rating sent as a form',
    request: (f) => [
      'PUT',
      `/v2/user/tickets/${f.ticketId}/rate`,
      { ...f.asUser, raw: 'rating=5', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
    ],
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    title: 'a booking pause without paused',
    request: (f) => ['PUT', `/v2/endpoints/${f.endpointId}/queues/${f.queueId}/booking`, { ...f.asOperator, body: {} }],
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'body.paused',
  },
  {
    title: 'a booking pause of a queue the counter does not serve',
    request: (f) => ['PUT', `/v2/endpoints/${f.endpointId}/queues/que_missing/booking`, { ...f.asOperator, body: { paused: true } }],
    status: 409,
    code: 'ENDPOINT_NOT_SERVING_QUEUE',
  },
  {
    title: 'indicators from a date without a time',
    request: (f) => ['GET', `/v2/endpoints/${f.endpointId}/indicators?from=2026-03-02`, f.asOperator],
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'querystring.from',
  },
  {
    title: 'display counters with an unknown query field',
    request: (f) => ['GET', `/v2/display/places/${f.placeId}/endpoints?lang=fr`, f.asKey],
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'querystring.lang',
  },
  {
    title: 'display counters of a place that does not exist',
    request: (f) => ['GET', '/v2/display/places/plc_missing/endpoints', f.asKey],
    status: 404,
    code: 'PLACE_NOT_FOUND',
  },
  {
    title: "the user's ticket stream from a Last-Event-ID that is not an event id",
    request: (f) => ['GET', '/v2/user/tickets/sse?lastEventId=abc', f.asUser],
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    title: 'a ticket stream from a Last-Event-ID in exponent notation',
    request: (f) => ['GET', `/v2/user/tickets/${f.ticketId}/sse?lastEventId=1e3`, f.asUser],
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    title: 'the queue-state stream from a Last-Event-ID that is not an event id',
    request: (f) => ['GET', `/v2/queues/state/sse?queueIds=${f.queueId}&lastEventId=x`, f.asKey],
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    title: "a place's queue-state stream with an unknown query field",
    request: (f) => ['GET', `/v2/places/${f.placeId}/queuesStates/sse?queueIds=${f.queueId}`, f.asKey],
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'querystring.queueIds',
  },
  {
    title: 'the call stream from a negative Last-Event-ID',
    request: (f) => ['GET', `/v2/display/places/${f.placeId}/calls/sse?lastEventId=%20-1`, f.asKey],
    status: 400,
    code: 'VALIDATION_FAILED',
  },
];

describeEachEngine('bad input on the appointment, rating, pause, indicator, display and stream routes', (engine) => {
  let h: QueueHarness;
  let fixture: Fixture;
  beforeAll(async () => {
    h = await QueueHarness.start(engine);
    const co = await setUpCompany(h, 'BadInputCo');
    const user = await createUser(h, co);
    const operator = await loginOperator(h, co);
    const ticket = expectStatus(await book(h, co, user.token), 201);
    const type = expectStatus(
      await h.admin('POST', `/admin/queues/${co.queueId}/appointmentTypes`, { name: 'T', durationMinutes: 30 }),
      201,
    );
    fixture = {
      queueId: co.queueId,
      placeId: co.placeId,
      endpointId: co.endpointId,
      ticketId: ticket.ticketId,
      typeId: type.id,
      asUser: { key: co.bookingKey, token: user.token },
      asKey: { key: co.bookingKey },
      asOperator: { token: operator },
    };
  });
  afterAll(() => h.close());

  for (const { title, request, status, code, field } of CASES) {
    it(`answers ${status} ${code} to ${title}`, async () => {
      const [method, path, options] = request(fixture);
      const reply = await h.call(method, path, options);
      expect({ status: reply.status, code: reply.body?.error?.code }).toEqual({ status, code });
      expect(reply.body).toEqual({
        error: { code, message: expect.any(String), ...(reply.body?.error?.details ? { details: expect.anything() } : {}) },
      });
      if (field) expect(reply.body.error.details).toContainEqual(expect.objectContaining({ field }));
    });
  }
});
