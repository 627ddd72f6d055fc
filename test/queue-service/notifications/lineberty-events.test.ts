import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Scheduler } from '../../../src/queue-service/scheduler/scheduler.js';
import { describeEachEngine } from '../../support/engines.js';
import { QueueHarness, expectStatus } from '../support/harness.js';
import { book, createUser, loginOperator, openCounter, setUpCompany, type TestCompany } from '../support/company.js';

const PUSH = { pushId: 'push-1', sendClientPush: true };

/** The events the notification process names, each as the message a person's app receives (docs/design.md §The message). */
describeEachEngine('messages of the events Lineberty integrators expect', (engine) => {
  let h: QueueHarness;
  let scheduler: Scheduler;
  beforeAll(async () => {
    h = await QueueHarness.start(engine);
    scheduler = new Scheduler(h.deps, { workerId: 'sch_events' });
  });
  afterAll(() => h.close());
  beforeEach(() => h.clock.set('2026-03-02T09:00:00Z'));

  /** The push messages of a ticket, oldest first: action, text, and the ticket's state as sent. */
  const pushesOf = async (ticketId: string) =>
    (expectStatus(await h.admin('GET', `/admin/messages?ticketId=${ticketId}&channel=webhook`), 200).messages as any[])
      .reverse()
      .map((m) => ({ action: m.body.message.action, content: m.body.message.content, state: m.body.message.data.state }));

  async function appointmentQueue(name: string, settings: Record<string, unknown> = {}) {
    const co = await setUpCompany(h, name, settings);
    const hours = { weekly: { mon: [{ from: '09:00', to: '12:00' }], tue: [{ from: '14:00', to: '16:00' }] } };
    expectStatus(await h.admin('PUT', `/admin/queues/${co.queueId}/openingHours`, hours), 200);
    expectStatus(
      await h.admin('POST', `/admin/queues/${co.queueId}/appointmentTypes`, { name: 'Advice', durationMinutes: 30, capacity: 2 }),
      201,
    );
    return { co, user: await createUser(h, co) };
  }

  describe('a postponed appointment', () => {
    it('is booked again: TICKET_BOOKED with the ticket as it now is and a text that says the new time, in its language', async () => {
      const { co, user } = await appointmentQueue('PostponeCo');
      const report = (id: string, reportFor: string) =>
        h.call('PUT', `/v2/user/tickets/${id}/report`, { key: co.bookingKey, token: user.token, body: { reportFor } });
      const english = expectStatus(await book(h, co, user.token, { ...PUSH, bookedFor: '2026-03-03T13:00:00.000Z' }), 201);
      const french = expectStatus(
        await book(h, co, user.token, { ...PUSH, lang: 'fr_FR', bookedFor: '2026-03-03T13:00:00.000Z', groupSize: 1 }),
        201,
      );
      expectStatus(await report(english.ticketId, '2026-03-03T14:30:00.000Z'), 200);
      expectStatus(await report(french.ticketId, '2026-03-03T14:30:00.000Z'), 200);
      const [booked, moved] = await pushesOf(english.ticketId);
      expect(booked).toMatchObject({ action: 'TICKET_BOOKED', state: 0 });
      // 14:30 UTC is 15:30 in Paris.
      expect(moved).toEqual({
        action: 'TICKET_BOOKED',
        state: 0,
        content: expect.stringMatching(/^Ticket A001: your appointment for Accounts is moved to .*3:30/),
      });
      const sent = (expectStatus(await h.admin('GET', `/admin/messages?ticketId=${english.ticketId}`), 200).messages as any[])[0];
      expect(sent.body.message.data).toMatchObject({ bookedFor: '2026-03-03T14:30:00.000Z' });
      const frenchMoved = (await pushesOf(french.ticketId)).at(-1)!;
      expect(frenchMoved).toMatchObject({
        action: 'TICKET_BOOKED',
        content: expect.stringMatching(/^Ticket A002 : votre rendez-vous pour Accounts est déplacé au .*15:30/),
      });
    });
  });

  describe('alerts at a list of positions', () => {
    it('alerts at 2 people ahead and again when next, each with its own text, and a ticket booked inside at once for the nearest', async () => {
      const co = await setUpCompany(h, 'AlertsCo', { alertPositions: [2, 1] });
      const user = await createUser(h, co);
      const operator = await loginOperator(h, co);
      await openCounter(h, operator, co.endpointId);
      const tickets = [];
      for (let i = 0; i < 4; i++) {
        h.clock.advance(1000);
        tickets.push(expectStatus(await book(h, co, user.token, PUSH), 201));
      }
      const nearly = (label: string) => `Ticket ${label}: it's nearly your turn, please come back to AlertsCo Paris.`;
      const soon = (label: string) => `Ticket ${label}: you will be called very soon, please be ready at AlertsCo Paris.`;
      // Booked with 0, 1 and 2 people ahead: alerted once each, for the nearest position; the fourth has 3 ahead.
      expect((await pushesOf(tickets[0].ticketId)).slice(1)).toEqual([{ action: 'TICKET_ALERTED', state: 100, content: soon('A001') }]);
      expect((await pushesOf(tickets[1].ticketId)).slice(1)).toEqual([{ action: 'TICKET_ALERTED', state: 100, content: soon('A002') }]);
      expect((await pushesOf(tickets[2].ticketId)).slice(1)).toEqual([{ action: 'TICKET_ALERTED', state: 100, content: nearly('A003') }]);
      expect((await pushesOf(tickets[3].ticketId)).map((m) => m.action)).toEqual(['TICKET_BOOKED']);

      expectStatus(await h.call('POST', `/v2/endpoints/${co.endpointId}/next`, { token: operator, body: { previousTicket: 'keep' } }), 200);
      // A002 now has nobody ahead, but was alerted at 1 already; A003 reaches 1, A004 reaches 2.
      expect(await pushesOf(tickets[1].ticketId)).toHaveLength(2);
      expect((await pushesOf(tickets[2].ticketId)).slice(1)).toEqual([
        { action: 'TICKET_ALERTED', state: 100, content: nearly('A003') },
        { action: 'TICKET_ALERTED', state: 100, content: soon('A003') },
      ]);
      expect((await pushesOf(tickets[3].ticketId)).slice(1)).toEqual([{ action: 'TICKET_ALERTED', state: 100, content: nearly('A004') }]);
      const events = await h.db
        .selectFrom('ticket_events')
        .select(['from_state', 'to_state', 'action'])
        .where('ticket_id', '=', tickets[2].ticketId)
        .orderBy('id')
        .execute();
      expect(events.at(-1)).toEqual({ from_state: 100, to_state: 100, action: 'TICKET_ALERTED' });
    });

    it('takes the positions from the admin API, with texts a queue may write per position, in French too', async () => {
      const co = await setUpCompany(h, 'PositionsCo');
      const changed = expectStatus(
        await h.admin('PATCH', `/admin/queues/${co.queueId}`, {
          settings: { alertPositions: [0, 3], templates: { TICKET_ALERTED_3: { fr: { text: 'Plus que trois, {label} !' } } } },
        }),
        200,
      );
      expect(changed.settings.alertPositions).toEqual([3, 0]);
      expect((await h.admin('PATCH', `/admin/queues/${co.queueId}`, { settings: { alertPositions: [-1] } })).status).toBe(400);
      const user = await createUser(h, co);
      const first = expectStatus(await book(h, co, user.token, { ...PUSH, lang: 'fr_FR' }), 201);
      h.clock.advance(1000);
      const second = expectStatus(await book(h, co, user.token, { ...PUSH, lang: 'fr_FR' }), 201);
      expect((await pushesOf(first.ticketId)).at(-1)).toEqual({
        action: 'TICKET_ALERTED',
        state: 100,
        content: 'Ticket A001 : vous êtes le prochain, merci de vous tenir prêt à PositionsCo Paris.',
      });
      expect((await pushesOf(second.ticketId)).at(-1)).toEqual({ action: 'TICKET_ALERTED', state: 100, content: 'Plus que trois, A002 !' });
    });
  });

  describe('appointment reminders', () => {
    it('are on by default: the day before at 18:00 place time and 2 hours before, as TICKET_REMIND_<id>', async () => {
      const co = await setUpCompany(h, 'RemindCo');
      const queue = expectStatus(await h.admin('POST', `/admin/places/${co.placeId}/queues`, { name: 'Defaults' }), 201);
      expect(queue.settings.alertPositions).toEqual([2, 1]);
      expect(queue.settings.reminders).toEqual([
        { id: 1, dayBefore: true, at: '18:00' },
        { id: 2, minutesBefore: 120 },
      ]);
      const user = await createUser(h, co);
      // Wednesday 4 March, 11:00 in Paris (10:00 UTC).
      const ticket = expectStatus(await book(h, co, user.token, { ...PUSH, bookedFor: '2026-03-04T10:00:00.000Z' }), 201);
      h.clock.set('2026-03-03T17:00:00Z');
      await scheduler.sweep();
      h.clock.set('2026-03-04T08:00:00Z');
      await scheduler.sweep();
      const reminders = (await pushesOf(ticket.ticketId)).filter((m) => m.action !== 'TICKET_BOOKED');
      expect(reminders.map((m) => m.action)).toEqual(['TICKET_REMIND_1', 'TICKET_REMIND_2']);
      for (const reminder of reminders)
        expect(reminder.content).toMatch(/^Reminder: your appointment for Accounts at RemindCo Paris is on .*11:00 AM \(ticket A001\)\.$/);
    });

    it('take any positive integer id, as Lineberty’s TICKET_REMIND_12345', async () => {
      const co = await setUpCompany(h, 'BigIdCo', { reminders: [{ id: 12345, minutesBefore: 30 }] });
      expect(
        (await h.admin('PATCH', `/admin/queues/${co.queueId}`, { settings: { reminders: [{ id: 0, minutesBefore: 30 }] } })).status,
      ).toBe(400);
      expectStatus(
        await h.admin('POST', `/admin/companies/${co.companyId}/webhooks`, {
          url: 'https://reminders.example/in',
          actions: ['TICKET_REMIND_12345'],
        }),
        201,
      );
      const user = await createUser(h, co);
      const ticket = expectStatus(await book(h, co, user.token, { ...PUSH, bookedFor: '2026-03-02T12:00:00.000Z' }), 201);
      h.clock.set('2026-03-02T11:30:00Z');
      await scheduler.sweep();
      const reminders = (await pushesOf(ticket.ticketId)).filter((m) => m.action === 'TICKET_REMIND_12345');
      // One for the catch-all destination, one for the destination that asked for this reminder only.
      expect(reminders).toHaveLength(2);
      expect(reminders[0]!.content).toContain('Reminder: your appointment');
    });
  });

  describe('subscribing after booking', () => {
    async function counterCompany(name: string): Promise<{ co: TestCompany; user: { token: string }; operator: string }> {
      const co = await setUpCompany(h, name, { alertPositions: [2, 1] });
      const user = await createUser(h, co);
      const operator = await loginOperator(h, co);
      await openCounter(h, operator, co.endpointId);
      return { co, user, operator };
    }
    const subscribe = (co: TestCompany, token: string, id: string, body: Record<string, unknown>) =>
      h.call('PUT', `/v2/user/tickets/${id}/notifications`, { key: co.bookingKey, token, body });

    it('sends the new channels the ticket as it is now, once; the channels it had get nothing again', async () => {
      const { co, user } = await counterCompany('LateCo');
      const ticket = expectStatus(await book(h, co, user.token, { sendClientSms: true, userData: { phone: '+33612345678' } }), 201);
      expect(await pushesOf(ticket.ticketId)).toEqual([]);
      expectStatus(await subscribe(co, user.token, ticket.ticketId, { pushId: 'late-push', sendClientPush: true }), 200);
      const pushes = await pushesOf(ticket.ticketId);
      expect(pushes).toEqual([{ action: 'TICKET_ALERTED', state: 100, content: expect.stringContaining('Ticket A001') }]);
      expectStatus(await subscribe(co, user.token, ticket.ticketId, { pushId: 'late-push', sendClientPush: true }), 200);
      expect(await pushesOf(ticket.ticketId)).toHaveLength(1);
      const sms = (
        expectStatus(await h.admin('GET', `/admin/messages?ticketId=${ticket.ticketId}&channel=sms`), 200).messages as any[]
      ).map((m) => m.action);
      // Booked and alerted at once (nobody ahead), through the SMS it chose when booking; not again.
      expect(sms.reverse()).toEqual(['TICKET_BOOKED', 'TICKET_ALERTED']);
    });

    it('sends a called ticket TICKET_CALLED with its counter, and a waiting one TICKET_BOOKED', async () => {
      const { co, user, operator } = await counterCompany('CalledCo');
      const called = expectStatus(await book(h, co, user.token), 201);
      const waiting = [];
      for (let i = 0; i < 3; i++) waiting.push(expectStatus(await book(h, co, user.token), 201));
      expectStatus(await h.call('POST', `/v2/endpoints/${co.endpointId}/next`, { token: operator, body: { previousTicket: 'keep' } }), 200);
      expectStatus(await subscribe(co, user.token, called.ticketId, PUSH), 200);
      expect(await pushesOf(called.ticketId)).toEqual([
        { action: 'TICKET_CALLED', state: 200, content: expect.stringContaining("it's your turn") },
      ]);
      // The last has 2 ahead after the call: alerted, not booked; a fifth booked now has 3 ahead.
      const fifth = expectStatus(await book(h, co, user.token), 201);
      expectStatus(await subscribe(co, user.token, fifth.ticketId, PUSH), 200);
      expect(await pushesOf(fifth.ticketId)).toEqual([
        { action: 'TICKET_BOOKED', state: 0, content: expect.stringContaining('People ahead of you: 3') },
      ]);
    });
  });
});
