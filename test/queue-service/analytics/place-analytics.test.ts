import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../support/engines.js';
import { QueueHarness, expectStatus } from '../support/harness.js';
import { book, createUser, loginOperator, openCounter, setUpCompany, type TestCompany } from '../support/company.js';

/**
 * A known day at a Paris place (UTC+1 in March), played through the public APIs with the harness
 * clock, then read back as analytics. Every figure below is worked out by hand from the script.
 */
describeEachEngine('place analytics', (engine) => {
  let h: QueueHarness;
  let co: TestCompany;
  const utc = (time: string) => h.clock.set(`2026-03-${time}:00Z`);

  beforeAll(async () => {
    h = await QueueHarness.start(engine);
    utc('01T08:00');
    co = await setUpCompany(h, 'Analytics');
    const formula = expectStatus(await h.admin('POST', `/admin/places/${co.placeId}/queues`, { name: '=1+1', labelPrefix: 'F' }), 201);
    const user = await createUser(h, co);
    let operator = '';
    const cancel = async (ticket: any) =>
      expectStatus(await h.call('PUT', `/v2/user/tickets/${ticket.ticketId}/cancel`, { key: co.bookingKey, token: user.token }), 200);
    const state = async (ticket: any, to: number) =>
      expectStatus(
        await h.call('PUT', `/v2/endpoints/${co.endpointId}/tickets/${ticket.ticketId}/state`, { token: operator, body: { state: to } }),
        200,
      );
    const next = async () =>
      expectStatus(await h.call('POST', `/v2/endpoints/${co.endpointId}/next`, { token: operator, body: { previousTicket: 'keep' } }), 200);

    // 00:30 in Paris on the 2nd, still the 1st in UTC: it counts on the 2nd, hour 0.
    utc('01T23:30');
    const night = expectStatus(await book(h, co, user.token, {}, co.secondQueueId), 201);
    utc('01T23:40');
    await cancel(night);

    const tickets: any[] = [];
    for (const [time, queueId] of [
      ['02T09:00', co.queueId],
      ['02T09:01', co.queueId],
      ['02T09:02', co.queueId],
      ['02T09:03', co.secondQueueId],
    ] as const) {
      utc(time);
      tickets.push(expectStatus(await book(h, co, user.token, {}, queueId), 201));
    }
    utc('02T09:04');
    operator = await loginOperator(h, co); // a token lasts a working day, not two
    await cancel(tickets[3]);
    utc('02T09:05');
    await openCounter(h, operator, co.endpointId);
    utc('02T09:10'); // waited 10 min
    await next();
    await state(tickets[0], 500);
    utc('02T09:16'); // served 6 min; the next waited 15 min
    await state(tickets[0], 700);
    await next();
    utc('02T09:20'); // a recall does not lengthen the wait
    expectStatus(await h.call('PUT', `/v2/endpoints/${co.endpointId}/tickets/${tickets[1].ticketId}/recall`, { token: operator }), 200);
    utc('02T09:21');
    await state(tickets[1], 500);
    utc('02T09:25'); // served 4 min; the third waited 23 min and does not come
    await state(tickets[1], 700);
    await next();
    await state(tickets[2], 300);
    await state(tickets[2], 400);

    utc('03T08:00');
    expectStatus(await book(h, co, user.token, {}, formula.id), 201);
  });
  afterAll(() => h.close());

  it("counts the day in the place's time zone: visits, outcomes, waits to the first call, service times", async () => {
    const report = expectStatus(await h.admin('GET', `/admin/places/${co.placeId}/analytics?from=2026-03-02&to=2026-03-02`), 200);
    expect(report).toMatchObject({ placeId: co.placeId, timeZone: 'Europe/Paris', from: '2026-03-02', to: '2026-03-02' });
    expect(report.totals).toEqual({
      visits: 5,
      served: 2,
      noShows: 1,
      canceled: 2,
      waitP50Seconds: 900,
      waitP90Seconds: 1380,
      averageServiceSeconds: 300,
    });
    expect(report.days.map((day: any) => [day.day, day.visits])).toEqual([['2026-03-02', 5]]);
    const busyHours = report.hours.filter((hour: any) => hour.visits > 0).map((hour: any) => [hour.hour, hour.visits]);
    expect(busyHours).toEqual([
      [0, 1],
      [10, 4],
    ]);
    const queues = Object.fromEntries(
      report.queues.map((queue: any) => [queue.name, [queue.visits, queue.served, queue.noShows, queue.canceled]]),
    );
    expect(queues).toEqual({ Accounts: [3, 2, 1, 0], Billing: [2, 0, 0, 2], '=1+1': [0, 0, 0, 0] });
    const counters = Object.fromEntries(report.counters.map((counter: any) => [counter.name, counter.visits]));
    expect(counters).toEqual({ 'Counter 1': 3, 'Counter 2': 0 });
    const waited = report.waits.filter((band: any) => band.tickets > 0).map((band: any) => [band.fromMinutes, band.tickets]);
    expect(waited).toEqual([
      [10, 1],
      [15, 1],
      [20, 1],
    ]);
  });

  it('reports every day of a range, and filters by queue and by counter', async () => {
    const range = expectStatus(await h.admin('GET', `/admin/places/${co.placeId}/analytics?from=2026-03-01&to=2026-03-03`), 200);
    expect(range.days.map((day: any) => [day.day, day.visits, day.waitP50Seconds])).toEqual([
      ['2026-03-01', 0, null],
      ['2026-03-02', 5, 900],
      ['2026-03-03', 1, null],
    ]);
    const billing = expectStatus(
      await h.admin('GET', `/admin/places/${co.placeId}/analytics?from=2026-03-02&to=2026-03-02&queueId=${co.secondQueueId}`),
      200,
    );
    expect([billing.totals.visits, billing.totals.canceled, billing.queues.length]).toEqual([2, 2, 1]);
    const counter = expectStatus(
      await h.admin('GET', `/admin/places/${co.placeId}/analytics?from=2026-03-02&to=2026-03-02&endpointId=${co.endpointId}`),
      200,
    );
    expect([counter.totals.visits, counter.totals.served, counter.totals.waitP90Seconds]).toEqual([3, 2, 1380]);
  });

  it("today by default, in the place's time zone", async () => {
    utc('02T23:30'); // already the 3rd in Paris
    const today = expectStatus(await h.admin('GET', `/admin/places/${co.placeId}/analytics`), 200);
    expect([today.from, today.to, today.totals.visits]).toEqual(['2026-03-03', '2026-03-03', 1]);
  });

  it('exports CSV a spreadsheet reads safely: a line per day, queue and counter', async () => {
    const reply = await h.admin('GET', `/admin/places/${co.placeId}/analytics.csv?from=2026-03-01&to=2026-03-03`);
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = String(reply.text)
      .trimEnd()
      .split('\r\n')
      .map((line) => line.split(','));
    expect(lines[0]).toEqual([
      'day',
      'queueId',
      'queue',
      'counterId',
      'counter',
      'visits',
      'served',
      'noShows',
      'canceled',
      'waitP50Seconds',
      'waitP90Seconds',
      'averageServiceSeconds',
    ]);
    expect(lines.slice(1).map((line) => [line[0], line[2], line[4], line[5], line[9]])).toEqual([
      ['2026-03-02', 'Accounts', 'Counter 1', '3', '900'],
      ['2026-03-02', 'Billing', '', '2', ''],
      ['2026-03-03', "'=1+1", '', '1', ''],
    ]);
  });

  it('refuses what it cannot answer, in the error shape', async () => {
    const cases: Array<[string, number, string]> = [
      ['?from=2026-02-30', 400, 'VALIDATION_FAILED'],
      ['?from=2026-03-02&to=2026-03-01', 400, 'VALIDATION_FAILED'],
      ['?from=2025-01-01&to=2026-03-02', 400, 'VALIDATION_FAILED'],
      ['?from=yesterday', 400, 'VALIDATION_FAILED'],
      ['?queueId=../x', 400, 'VALIDATION_FAILED'],
    ];
    for (const [query, status, code] of cases) {
      const reply = await h.admin('GET', `/admin/places/${co.placeId}/analytics${query}`);
      expect([reply.status, reply.body.error?.code], query).toEqual([status, code]);
    }
    const other = await setUpCompany(h, 'Other');
    const stranger = await h.call('GET', `/admin/places/${co.placeId}/analytics`, { key: other.adminKey });
    expect([stranger.status, stranger.body.error.code]).toEqual([404, 'PLACE_NOT_FOUND']);
    const nobody = await h.call('GET', `/admin/places/${co.placeId}/analytics.csv`, {});
    expect(nobody.status).toBe(401);
  });
});
