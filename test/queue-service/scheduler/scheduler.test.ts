import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { claimDueJobs } from '../../../src/queue-service/db/queries/scheduled-jobs.js';
import { Scheduler } from '../../../src/queue-service/scheduler/scheduler.js';
import { describeEachEngine } from '../../support/engines.js';
import { QueueHarness, expectStatus } from '../support/harness.js';
import { book, createUser, loginOperator, openCounter, setUpCompany, type TestCompany } from '../support/company.js';

const MINUTE = 60_000;

describeEachEngine('scheduler', (engine) => {
  let h: QueueHarness;
  let scheduler: Scheduler;
  beforeAll(async () => {
    h = await QueueHarness.start(engine);
    scheduler = new Scheduler(h.deps, { workerId: 'sch_test' });
  });
  afterAll(() => h.close());
  beforeEach(() => h.clock.set('2026-03-02T09:00:00Z'));

  const actionsOf = async (ticketId: string) =>
    (expectStatus(await h.admin('GET', `/admin/messages?ticketId=${ticketId}`), 200).messages as any[]).map((m) => m.action).reverse();
  const eventsOf = (ticketId: string) =>
    h.db
      .selectFrom('ticket_events')
      .select(['from_state', 'to_state', 'action', 'actor', 'at'])
      .where('ticket_id', '=', ticketId)
      .orderBy('id')
      .execute();
  const jobsOf = async (ticketId: string) =>
    (
      await h.db
        .selectFrom('scheduled_jobs')
        .select(['kind', 'rule_id', 'due_at'])
        .where('ticket_id', '=', ticketId)
        .orderBy('due_at')
        .execute()
    ).map((job) => `${job.kind}${job.rule_id ? `#${job.rule_id}` : ''}@${new Date(Number(job.due_at)).toISOString()}`);
  const stateOf = async (co: TestCompany, token: string, ticketId: string) =>
    expectStatus(await h.call('GET', `/v2/user/tickets/${ticketId}`, { key: co.bookingKey, token }), 200).state;

  async function heldTicket(name: string) {
    const co = await setUpCompany(h, name, { onHoldTimeoutMinutes: 10, noShowTimeoutMinutes: 30 });
    const user = await createUser(h, co);
    const operator = await loginOperator(h, co);
    await openCounter(h, operator, co.endpointId);
    const ticket = expectStatus(await book(h, co, user.token, { pushId: 'p1', sendClientPush: true }), 201);
    expectStatus(await h.call('POST', `/v2/endpoints/${co.endpointId}/next`, { token: operator, body: { previousTicket: 'keep' } }), 200);
    const setState = (state: number) =>
      h.call('PUT', `/v2/endpoints/${co.endpointId}/tickets/${ticket.ticketId}/state`, { token: operator, body: { state } });
    return { co, user, operator, ticket, setState };
  }

  describe('timeouts', () => {
    it('moves an on-hold ticket to no show, then to canceled, after the queue timeouts, each with its message', async () => {
      const { co, user, ticket, setState } = await heldTicket('TimeoutCo');
      expectStatus(await setState(300), 200);
      expect(await jobsOf(ticket.ticketId)).toEqual(['onhold_timeout@2026-03-02T09:10:00.000Z']);
      h.clock.advance(10 * MINUTE - 1);
      expect((await scheduler.sweep()).fired).toBe(0);
      h.clock.advance(1);
      expect(await scheduler.sweep()).toMatchObject({ claimed: 1, fired: 1 });
      expect(await stateOf(co, user.token, ticket.ticketId)).toBe(400);
      expect(await jobsOf(ticket.ticketId)).toEqual(['noshow_timeout@2026-03-02T09:40:00.000Z']);
      h.clock.advance(30 * MINUTE);
      await scheduler.sweep();
      expect(await stateOf(co, user.token, ticket.ticketId)).toBe(600);
      expect(await jobsOf(ticket.ticketId)).toEqual([]);
      expect(await actionsOf(ticket.ticketId)).toEqual([
        'TICKET_BOOKED',
        'TICKET_CALLED',
        'TICKET_ONHOLD',
        'TICKET_NOSHOW',
        'TICKET_CANCELED',
      ]);
      const events = await eventsOf(ticket.ticketId);
      expect(events.slice(-2).map((event) => [event.from_state, event.to_state, event.actor])).toEqual([
        [300, 400, 'system:onhold-timeout'],
        [400, 600, 'system:noshow-timeout'],
      ]);
    });

    it('drops the timeout when the ticket is recalled or served, so it never fires late', async () => {
      const { co, user, ticket, setState } = await heldTicket('RecallTimeoutCo');
      expectStatus(await setState(300), 200);
      expectStatus(await setState(200), 200);
      expect(await jobsOf(ticket.ticketId)).toEqual([]);
      expectStatus(await setState(300), 200);
      h.clock.advance(5 * MINUTE);
      expectStatus(await setState(500), 200);
      h.clock.advance(60 * MINUTE);
      expect((await scheduler.sweep()).fired).toBe(0);
      expect(await stateOf(co, user.token, ticket.ticketId)).toBe(500);
    });
  });

  describe('appointments', () => {
    const rules = [
      { id: 1, dayBefore: true, at: '18:00' },
      { id: 2, minutesBefore: 60 },
    ];

    it('reminds by the wall clock of the place across the spring change, then alerts at the lead time', async () => {
      h.clock.set('2026-03-27T09:00:00Z');
      const co = await setUpCompany(h, 'SpringCo', { reminders: rules, appointmentAlertMinutes: 15 });
      const user = await createUser(h, co);
      // Sunday 29 March 2026, 10:00 in Paris: the clocks moved forward that night.
      const ticket = expectStatus(
        await book(h, co, user.token, {
          bookedFor: '2026-03-29T08:00:00.000Z',
          pushId: 'p1',
          sendClientPush: true,
          sendClientMail: true,
          userData: { mail: 'a@example.fr' },
        }),
        201,
      );
      expect(await jobsOf(ticket.ticketId)).toEqual([
        'reminder#1@2026-03-28T17:00:00.000Z',
        'reminder#2@2026-03-29T07:00:00.000Z',
        'appointment_alert@2026-03-29T07:45:00.000Z',
      ]);
      h.clock.set('2026-03-28T16:59:59Z');
      expect((await scheduler.sweep()).fired).toBe(0);
      h.clock.set('2026-03-28T17:00:00Z');
      expect((await scheduler.sweep()).fired).toBe(1);
      const mail = (
        expectStatus(await h.admin('GET', `/admin/messages?ticketId=${ticket.ticketId}&channel=email`), 200).messages as any[]
      )[0];
      expect(mail).toMatchObject({ action: 'TICKET_REMIND_1', body: { subject: 'Appointment reminder' } });
      expect(mail.body.text).toContain('10:00');
      expect(Date.parse(mail.deliverBy)).toBe(Date.parse('2026-03-29T08:00:00Z'));
      h.clock.set('2026-03-29T07:00:00Z');
      await scheduler.sweep();
      h.clock.set('2026-03-29T07:45:00Z');
      await scheduler.sweep();
      expect(await stateOf(co, user.token, ticket.ticketId)).toBe(100);
      expect((await actionsOf(ticket.ticketId)).filter((action) => action !== 'TICKET_BOOKED')).toEqual([
        'TICKET_REMIND_1',
        'TICKET_REMIND_1',
        'TICKET_REMIND_2',
        'TICKET_REMIND_2',
        'TICKET_ALERTED',
        'TICKET_ALERTED',
      ]);
      expect(await jobsOf(ticket.ticketId)).toEqual([]);
    });

    it('reminds the day before at 18:00 on the wall clock across the autumn change too', async () => {
      h.clock.set('2026-10-20T09:00:00Z');
      const co = await setUpCompany(h, 'AutumnCo', { reminders: rules });
      const user = await createUser(h, co);
      const sunday = expectStatus(await book(h, co, user.token, { bookedFor: '2026-10-25T09:00:00.000Z' }), 201);
      const monday = expectStatus(await book(h, co, user.token, { bookedFor: '2026-10-26T09:00:00.000Z' }), 201);
      expect((await jobsOf(sunday.ticketId))[0]).toBe('reminder#1@2026-10-24T16:00:00.000Z');
      expect((await jobsOf(monday.ticketId))[0]).toBe('reminder#1@2026-10-25T17:00:00.000Z');
    });

    it('moves reminders with a postponed appointment and drops them when it ends', async () => {
      const co = await setUpCompany(h, 'MovedCo', { reminders: rules, appointmentAlertMinutes: 10 });
      const user = await createUser(h, co);
      const ticket = expectStatus(await book(h, co, user.token, { bookedFor: '2026-03-04T10:00:00.000Z' }), 201);
      expectStatus(
        await h.call('PUT', `/v2/user/tickets/${ticket.ticketId}/report`, {
          key: co.bookingKey,
          token: user.token,
          body: { reportFor: '2026-03-06T15:00:00.000Z' },
        }),
        200,
      );
      expect(await jobsOf(ticket.ticketId)).toEqual([
        'reminder#1@2026-03-05T17:00:00.000Z',
        'reminder#2@2026-03-06T14:00:00.000Z',
        'appointment_alert@2026-03-06T14:50:00.000Z',
      ]);
      expectStatus(await h.call('PUT', `/v2/user/tickets/${ticket.ticketId}/cancel`, { key: co.bookingKey, token: user.token }), 200);
      expect(await jobsOf(ticket.ticketId)).toEqual([]);
      h.clock.set('2026-03-06T16:00:00Z');
      expect((await scheduler.sweep()).fired).toBe(0);
    });

    it('asks for confirmation instead of alerting where the queue wants it, and confirming alerts', async () => {
      const co = await setUpCompany(h, 'ConfirmApptCo', { confirmRequired: true, appointmentAlertMinutes: 30 });
      const user = await createUser(h, co);
      const ticket = expectStatus(
        await book(h, co, user.token, { bookedFor: '2026-03-02T09:20:00.000Z', pushId: 'p', sendClientPush: true }),
        201,
      );
      expect(await jobsOf(ticket.ticketId)).toEqual(['appointment_alert@2026-03-02T09:00:00.000Z']);
      await scheduler.sweep();
      expect(await stateOf(co, user.token, ticket.ticketId)).toBe(50);
      const confirm = () => h.call('PUT', `/v2/user/tickets/${ticket.ticketId}/confirm`, { key: co.bookingKey, token: user.token });
      expect(expectStatus(await confirm(), 200).state).toBe(100);
      expect(expectStatus(await confirm(), 200).state).toBe(100);
      expect(await actionsOf(ticket.ticketId)).toEqual(['TICKET_BOOKED', 'TICKET_ALERTED']);
    });
  });

  describe('durability and sharing', () => {
    it('fires after a restart what a scheduler claimed and never finished, once its lease ends', async () => {
      const { co, user, ticket, setState } = await heldTicket('RestartCo');
      expectStatus(await setState(300), 200);
      h.clock.advance(10 * MINUTE);
      // A scheduler claims the job and dies before firing it.
      const claimed = await claimDueJobs(h.deps.database, { workerId: 'sch_dead', now: h.clock.now(), limit: 10, leaseMs: 60_000 });
      expect(claimed.map((job) => job.ticket_id)).toContain(ticket.ticketId);
      const restarted = new Scheduler(h.deps, { workerId: 'sch_restarted' });
      await restarted.sweep();
      expect(await stateOf(co, user.token, ticket.ticketId)).toBe(300);
      h.clock.advance(60_000);
      await restarted.sweep();
      expect(await stateOf(co, user.token, ticket.ticketId)).toBe(400);
      expect((await actionsOf(ticket.ticketId)).filter((action) => action === 'TICKET_NOSHOW')).toHaveLength(1);
    });

    it('never fires a job twice when several schedulers sweep at once', async () => {
      const co = await setUpCompany(h, 'SharedCo', { onHoldTimeoutMinutes: 1 });
      const user = await createUser(h, co);
      const operator = await loginOperator(h, co);
      await openCounter(h, operator, co.endpointId);
      const ids: string[] = [];
      for (let i = 0; i < 24; i++) {
        ids.push(expectStatus(await book(h, co, user.token), 201).ticketId);
        expectStatus(
          await h.call('POST', `/v2/endpoints/${co.endpointId}/next`, { token: operator, body: { previousTicket: 'keep' } }),
          200,
        );
        expectStatus(
          await h.call('PUT', `/v2/endpoints/${co.endpointId}/tickets/${ids[i]}/state`, { token: operator, body: { state: 300 } }),
          200,
        );
      }
      h.clock.advance(MINUTE);
      const schedulers = ['a', 'b', 'c'].map((id) => new Scheduler(h.deps, { workerId: `sch_${id}`, batchSize: 5, concurrency: 3 }));
      const results = await Promise.all(schedulers.map((each) => each.sweep()));
      expect(results.reduce((sum, result) => sum + result.fired, 0)).toBe(24);
      const noShows = await h.db
        .selectFrom('ticket_events')
        .select('ticket_id')
        .where('ticket_id', 'in', ids)
        .where('to_state', '=', 400)
        .execute();
      expect(noShows.map((event) => event.ticket_id).sort()).toEqual([...ids].sort());
    });
  });
});
