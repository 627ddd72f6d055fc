import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachEngine } from '../../support/engines.js';
import { QueueHarness, expectStatus } from '../support/harness.js';
import { book, createUser, loginOperator, openCounter, setUpCompany, type TestCompany } from '../support/company.js';

const MONDAY_HOURS = { weekly: { mon: [{ from: '09:00', to: '12:00' }], tue: [{ from: '14:00', to: '16:00' }] } };

describeEachEngine('appointments API', (engine) => {
  let h: QueueHarness;
  beforeAll(async () => {
    h = await QueueHarness.start(engine);
  });
  afterAll(() => h.close());

  /** A company whose first queue has Monday and Tuesday hours and one 30-minute type for two people. */
  async function appointmentCompany(name: string, settings: Record<string, unknown> = {}) {
    const co = await setUpCompany(h, name, settings);
    expectStatus(await h.admin('PUT', `/admin/queues/${co.queueId}/openingHours`, MONDAY_HOURS), 200);
    const type = expectStatus(
      await h.admin('POST', `/admin/queues/${co.queueId}/appointmentTypes`, {
        name: 'Advice',
        names: { fr_FR: 'Conseil' },
        durationMinutes: 30,
        capacity: 2,
      }),
      201,
    );
    return { co, type, user: await createUser(h, co) };
  }
  const availabilities = (co: TestCompany, query: string) =>
    h.call('GET', `/v2/queues/${co.queueId}/availabilities?${query}`, { key: co.bookingKey });

  describe('availabilities', () => {
    it('lists the free slots of a day in the place time zone, for a group', async () => {
      const { co, type } = await appointmentCompany('SlotsCo');
      // The clock is Monday 2026-03-02 09:00Z = 10:00 in Paris: the 09:00–10:00 slots have started.
      const monday = expectStatus(await availabilities(co, 'date=2026-03-02'), 200);
      expect(monday).toMatchObject({
        queueId: co.queueId,
        date: '2026-03-02',
        timeZone: 'Europe/Paris',
        appointmentTypeId: type.id,
        groupSize: 1,
      });
      expect(monday.slots.map((slot: any) => slot.start)).toEqual([
        '2026-03-02T09:30:00.000Z',
        '2026-03-02T10:00:00.000Z',
        '2026-03-02T10:30:00.000Z',
      ]);
      expect(monday.slots[0]).toEqual({ start: '2026-03-02T09:30:00.000Z', end: '2026-03-02T10:00:00.000Z', remaining: 2 });
      const tuesday = expectStatus(await availabilities(co, 'date=2026-03-03&groupSize=2'), 200);
      expect(tuesday.slots).toHaveLength(4);
      expect(expectStatus(await availabilities(co, 'date=2026-03-04'), 200).slots).toEqual([]);
      const types = expectStatus(await h.call('GET', `/v2/queues/${co.queueId}/appointmentTypes`, { key: co.bookingKey }), 200);
      expect(types).toEqual({
        [type.id]: {
          appointmentTypeId: type.id,
          queueId: co.queueId,
          name: { en_US: 'Advice', fr_FR: 'Conseil', es_ES: 'Advice', de_DE: 'Advice', it_IT: 'Advice', nl_NL: 'Advice' },
          duration: 30,
          capacity: 2,
          isWalkIn: false,
        },
      });
    });

    it('lists the days that still have a slot, and drops a day once it is full', async () => {
      const { co, type, user } = await appointmentCompany('DaysCo');
      const days = (query = '') =>
        h.call('GET', `/v2/queues/${co.queueId}/daysWithAvailabilities?start=2026-03-02&end=2026-03-10${query}`, { key: co.bookingKey });
      expect(expectStatus(await days(), 200).days).toEqual(['2026-03-02', '2026-03-03', '2026-03-09', '2026-03-10']);
      // Fill the three slots left today, two people each.
      for (const start of ['09:30', '10:00', '10:30']) {
        expectStatus(
          await book(h, co, user.token, { bookedFor: `2026-03-02T${start}:00.000Z`, appointmentTypeId: type.id, groupSize: 2 }),
          201,
        );
      }
      expect(expectStatus(await days(), 200).days).toEqual(['2026-03-03', '2026-03-09', '2026-03-10']);
      expect(expectStatus(await days('&groupSize=3'), 200).days).toEqual([]);
    });

    it('answers bad input with the error shape', async () => {
      const { co } = await appointmentCompany('BadSlotsCo');
      const cases: Array<[string, number, string]> = [
        ['date=2026-02-30', 400, 'VALIDATION_FAILED'],
        ['date=tomorrow', 400, 'VALIDATION_FAILED'],
        ['date=2031-01-01', 400, 'VALIDATION_FAILED'],
        ['date=2026-03-02&groupSize=0', 400, 'VALIDATION_FAILED'],
        ['date=2026-03-02&groupSize=50', 400, 'GROUP_SIZE_OUT_OF_RANGE'],
        ['date=2026-03-02&appointmentTypeId=apt_nope', 404, 'APPOINTMENT_TYPE_NOT_FOUND'],
        ['date=2026-03-02&extra=1', 400, 'VALIDATION_FAILED'],
      ];
      for (const [query, status, code] of cases) {
        const reply = await availabilities(co, query);
        expect([reply.status, reply.body.error.code], query).toEqual([status, code]);
      }
      const days = (query: string) => h.call('GET', `/v2/queues/${co.queueId}/daysWithAvailabilities?${query}`, { key: co.bookingKey });
      for (const query of ['start=2026-03-10&end=2026-03-02', 'start=2026-03-02&end=2026-09-01', 'start=2026-03-02', 'start=x&end=y']) {
        const reply = await days(query);
        expect([reply.status, reply.body.error.code], query).toEqual([400, 'VALIDATION_FAILED']);
      }
      const other = await setUpCompany(h, 'OtherSlotsCo');
      expect((await h.call('GET', `/v2/queues/${co.queueId}/availabilities?date=2026-03-02`, { key: other.bookingKey })).status).toBe(404);
      expect((await h.call('GET', `/v2/queues/${co.queueId}/availabilities?date=2026-03-02`)).status).toBe(401);
    });

    it('asks which type when a queue offers several', async () => {
      const { co } = await appointmentCompany('TwoTypesCo');
      const long = expectStatus(
        await h.admin('POST', `/admin/queues/${co.queueId}/appointmentTypes`, { name: 'Long', durationMinutes: 60 }),
        201,
      );
      const reply = await availabilities(co, 'date=2026-03-03');
      expect([reply.status, reply.body.error.code, reply.body.error.details]).toEqual([
        400,
        'MISSING_FIELD',
        { field: 'appointmentTypeId' },
      ]);
      expect(expectStatus(await availabilities(co, `date=2026-03-03&appointmentTypeId=${long.id}`), 200).slots).toHaveLength(2);
    });
  });

  describe('admin of types and hours', () => {
    it('creates, changes and deletes types, and sets and clears opening hours', async () => {
      const co = await setUpCompany(h, 'AdminSlotsCo');
      const type = expectStatus(
        await h.admin('POST', `/admin/queues/${co.queueId}/appointmentTypes`, { name: 'A', durationMinutes: 15 }),
        201,
      );
      expect(type.capacity).toBe(1);
      expect(
        expectStatus(await h.admin('PATCH', `/admin/appointmentTypes/${type.id}`, { capacity: 3, names: { fr_FR: 'Un' } }), 200),
      ).toMatchObject({ capacity: 3, names: { fr_FR: 'Un' }, durationMinutes: 15 });
      expect(expectStatus(await h.admin('GET', `/admin/queues/${co.queueId}/appointmentTypes`), 200)).toHaveLength(1);
      expect(expectStatus(await h.admin('GET', `/admin/queues/${co.queueId}/openingHours`), 200).openingHours).toBeNull();
      const set = expectStatus(
        await h.admin('PUT', `/admin/queues/${co.queueId}/openingHours`, {
          ...MONDAY_HOURS,
          exceptions: [{ date: '2026-03-09', hours: [], note: 'Holiday' }],
        }),
        200,
      );
      expect(set).toMatchObject({
        queueId: co.queueId,
        timeZone: 'Europe/Paris',
        openingHours: { exceptions: [{ date: '2026-03-09', hours: [] }] },
      });
      expect(expectStatus(await h.call('GET', `/v2/queues/${co.queueId}/openingHours`, { key: co.bookingKey }), 200)).toEqual(set);
      expect(
        (await h.admin('PUT', `/admin/queues/${co.queueId}/openingHours`, { weekly: { mon: [{ from: '10:00', to: '09:00' }] } })).body.error
          .code,
      ).toBe('VALIDATION_FAILED');
      expect((await h.admin('PUT', `/admin/queues/${co.queueId}/openingHours`, { weekly: { monday: [] } })).status).toBe(400);
      expect(
        (await h.admin('PUT', `/admin/queues/${co.queueId}/openingHours`, { weekly: { mon: [{ from: '9:00', to: '10:00' }] } })).status,
      ).toBe(400);
      expect((await h.admin('POST', `/admin/queues/${co.queueId}/appointmentTypes`, { name: 'B', durationMinutes: 1 })).status).toBe(400);
      expect((await h.admin('POST', `/admin/queues/${co.queueId}/appointmentTypes`, { name: 'B', durationMinutes: '30' })).status).toBe(
        400,
      );
      expectStatus(await h.admin('DELETE', `/admin/queues/${co.queueId}/openingHours`), 204);
      expectStatus(await h.admin('DELETE', `/admin/appointmentTypes/${type.id}`), 204);
      expect((await h.admin('DELETE', `/admin/appointmentTypes/${type.id}`)).body.error.code).toBe('APPOINTMENT_TYPE_NOT_FOUND');
      const other = await setUpCompany(h, 'OtherAdminSlotsCo');
      expect(
        (
          await h.call('POST', `/admin/queues/${co.queueId}/appointmentTypes`, {
            key: other.adminKey,
            body: { name: 'X', durationMinutes: 30 },
          })
        ).status,
      ).toBe(404);
    });
  });

  describe('booking an appointment', () => {
    it('takes a free slot, marks the ticket as an appointment, and answers 409 when the slot is full or not a slot', async () => {
      const { co, type, user } = await appointmentCompany('BookSlotCo');
      const first = expectStatus(await book(h, co, user.token, { bookedFor: '2026-03-03T13:00:00.000Z', groupSize: 1 }), 201);
      expect(first).toMatchObject({
        isAnAppointment: true,
        bookedFor: '2026-03-03T13:00:00.000Z',
        appointmentType: { appointmentTypeId: type.id, name: 'Advice' },
        ticketPosition: { queue: { tickets: 0 } },
      });
      expect(first.timeline.estimatedFor).toBe('2026-03-03T13:00:00.000Z');
      const full = await book(h, co, user.token, { bookedFor: '2026-03-03T13:00:00.000Z', groupSize: 2 });
      expect([full.status, full.body.error.code]).toEqual([409, 'SLOT_UNAVAILABLE']);
      expectStatus(await book(h, co, user.token, { bookedFor: '2026-03-03T13:00:00+00:00', groupSize: 1 }), 201);
      for (const bookedFor of ['2026-03-03T13:10:00.000Z', '2026-03-03T08:00:00.000Z', '2026-03-04T13:00:00.000Z']) {
        const reply = await book(h, co, user.token, { bookedFor });
        expect([reply.status, reply.body.error.code], bookedFor).toEqual([409, 'SLOT_UNAVAILABLE']);
      }
      const past = await book(h, co, user.token, { bookedFor: '2026-03-02T08:00:00.000Z' });
      expect([past.status, past.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
      const unknown = await book(h, co, user.token, { bookedFor: '2026-03-03T14:00:00.000Z', appointmentTypeId: 'apt_unknown' });
      expect([unknown.status, unknown.body.error.code]).toEqual([404, 'APPOINTMENT_TYPE_NOT_FOUND']);
      // A canceled appointment gives its places back.
      expectStatus(await h.call('PUT', `/v2/user/tickets/${first.ticketId}/cancel`, { key: co.bookingKey, token: user.token }), 200);
      expectStatus(await book(h, co, user.token, { bookedFor: '2026-03-03T13:00:00.000Z' }), 201);
    });

    it('never lets concurrent bookings overfill a slot', async () => {
      const { co, user } = await appointmentCompany('RaceSlotCo');
      const replies = await Promise.all(
        Array.from({ length: 6 }, () => book(h, co, user.token, { bookedFor: '2026-03-03T14:30:00.000Z' })),
      );
      expect(replies.filter((reply) => reply.status === 201)).toHaveLength(2);
      expect(replies.filter((reply) => reply.status === 409).every((reply) => reply.body.error.code === 'SLOT_UNAVAILABLE')).toBe(true);
    });

    it('takes any future time inside the hours on a queue without types', async () => {
      const co = await setUpCompany(h, 'FreeTimeCo');
      const user = await createUser(h, co);
      expectStatus(await book(h, co, user.token, { bookedFor: '2026-03-05T03:07:00.000Z' }), 201);
      expectStatus(await h.admin('PUT', `/admin/queues/${co.queueId}/openingHours`, MONDAY_HOURS), 200);
      expectStatus(await book(h, co, user.token, { bookedFor: '2026-03-03T13:07:00.000Z' }), 201);
      expect((await book(h, co, user.token, { bookedFor: '2026-03-03T12:07:00.000Z' })).body.error.code).toBe('SLOT_UNAVAILABLE');
    });
  });

  describe('calling appointments', () => {
    it('serves FIFO tickets in order, never an appointment before its time, and a due appointment first', async () => {
      const { co, user } = await appointmentCompany('PrecedenceCo');
      const operator = await loginOperator(h, co);
      await openCounter(h, operator, co.endpointId);
      const next = async () =>
        expectStatus(
          await h.call('POST', `/v2/endpoints/${co.endpointId}/next`, { token: operator, body: { previousTicket: 'keep' } }),
          200,
        ).label;
      const appointment = expectStatus(await book(h, co, user.token, { bookedFor: '2026-03-02T09:30:00.000Z' }), 201);
      const fifo: string[] = [];
      for (let i = 0; i < 3; i++) {
        h.clock.advance(1_000);
        fifo.push(expectStatus(await book(h, co, user.token), 201).label);
      }
      expect(await next()).toBe(fifo[0]);
      h.clock.set('2026-03-02T09:29:59.000Z');
      expect(await next()).toBe(fifo[1]);
      h.clock.set('2026-03-02T09:30:00.000Z');
      expect(await next()).toBe(appointment.label);
      expect(await next()).toBe(fifo[2]);
      h.clock.set('2026-03-02T09:00:00.000Z');
    });
  });

  describe('postponing', () => {
    it('moves an appointment to another free slot and frees the old one', async () => {
      const { co, user } = await appointmentCompany('ReportCo', { reminders: [{ id: 1, minutesBefore: 60 }] });
      const ticket = expectStatus(await book(h, co, user.token, { bookedFor: '2026-03-03T13:00:00.000Z', groupSize: 2 }), 201);
      const report = (reportFor: string, id = ticket.ticketId) =>
        h.call('PUT', `/v2/user/tickets/${id}/report`, { key: co.bookingKey, token: user.token, body: { reportFor } });
      const moved = expectStatus(await report('2026-03-03T14:00:00.000Z'), 200);
      expect(moved).toMatchObject({
        ticketId: ticket.ticketId,
        state: 0,
        bookedFor: '2026-03-03T14:00:00.000Z',
        timeline: { estimatedFor: '2026-03-03T14:00:00.000Z' },
      });
      expectStatus(await book(h, co, user.token, { bookedFor: '2026-03-03T13:00:00.000Z', groupSize: 2 }), 201);
      expectStatus(await book(h, co, user.token, { bookedFor: '2026-03-03T14:30:00.000Z', groupSize: 2 }), 201);
      expect((await report('2026-03-03T14:30:00.000Z')).body.error.code).toBe('SLOT_UNAVAILABLE');
      expect((await report('2026-03-03T14:00:00.000Z')).status).toBe(200);
      expect((await report('not a date')).status).toBe(400);
      const fifo = expectStatus(await book(h, co, user.token), 201);
      expect((await report('2026-03-03T14:00:00.000Z', fifo.ticketId)).body.error.code).toBe('NOT_AN_APPOINTMENT');
      const stranger = await createUser(h, co);
      expect(
        (
          await h.call('PUT', `/v2/user/tickets/${ticket.ticketId}/report`, {
            key: co.bookingKey,
            token: stranger.token,
            body: { reportFor: '2026-03-03T15:00:00.000Z' },
          })
        ).status,
      ).toBe(404);
      const jobs = await h.db
        .selectFrom('scheduled_jobs')
        .select(['kind', 'due_at'])
        .where('ticket_id', '=', ticket.ticketId)
        .orderBy('kind')
        .execute();
      expect(jobs.map((job) => [job.kind, new Date(Number(job.due_at)).toISOString()])).toEqual([
        ['appointment_alert', '2026-03-03T13:45:00.000Z'],
        ['reminder', '2026-03-03T13:00:00.000Z'],
      ]);
    });
  });
});
