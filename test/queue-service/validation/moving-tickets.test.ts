/**
 * Moving tickets over HTTP (docs/design.md §Moving tickets): a busy counter's call next, calling a
 * chosen ticket, priority, transfers keeping a place or going to the end, notes for staff only,
 * "I'm here" and "running late" — with the message each sends, or none.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachEngine } from '../../support/engines.js';
import { QueueHarness, expectStatus } from '../support/harness.js';
import { book, createUser, loginOperator, openCounter, setUpCompany, type TestCompany } from '../support/company.js';

describeEachEngine('moving tickets', (engine) => {
  let h: QueueHarness;
  beforeAll(async () => {
    h = await QueueHarness.start(engine);
  });
  afterAll(() => h.close());

  async function counter(name: string, settings: Record<string, unknown> = {}) {
    const co = await setUpCompany(h, name, settings);
    const user = await createUser(h, co);
    const operator = await loginOperator(h, co);
    await openCounter(h, operator, co.endpointId);
    const take = async (queueId = co.queueId, body: Record<string, unknown> = {}) =>
      expectStatus(await book(h, co, user.token, { pushId: 'push-1', sendClientPush: true, ...body }, queueId), 201);
    return { co, user, operator, take };
  }
  const at = (co: TestCompany, path: string, endpointId = co.endpointId) => `/v2/endpoints/${endpointId}${path}`;
  const messagesOf = async (ticketId: string) =>
    (expectStatus(await h.admin('GET', `/admin/messages?ticketId=${ticketId}`), 200).messages as any[]).reverse();

  describe('call next at a busy counter', () => {
    it('refuses with 409 ENDPOINT_BUSY naming the called ticket, and changes nothing', async () => {
      const { co, operator, take } = await counter('BusyCo');
      const first = await take();
      const second = await take();
      expect(expectStatus(await h.call('POST', at(co, '/next'), { token: operator }), 200).ticketId).toBe(first.ticketId);
      const refused = await h.call('POST', at(co, '/next'), { token: operator });
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('ENDPOINT_BUSY');
      expect(refused.body.error.message).toContain(first.label);
      expect(refused.body.error.details).toMatchObject({ ticketId: first.ticketId, label: first.label, state: 200 });
      expect(expectStatus(await h.call('GET', at(co, `/tickets/${second.ticketId}`), { token: operator }), 200).state).toBe(0);
      // The chosen ticket's own call answers the same.
      expect((await h.call('POST', at(co, `/tickets/${second.ticketId}/call`), { token: operator })).body.error.code).toBe('ENDPOINT_BUSY');
    });

    it('ends the called ticket as told: done, no show (through on hold), or keeps it', async () => {
      const { co, operator, take } = await counter('PreviousCo');
      const [a, b, c, d] = [await take(), await take(), await take(), await take()];
      const state = async (ticketId: string) =>
        expectStatus(await h.call('GET', at(co, `/tickets/${ticketId}`), { token: operator }), 200).state;
      const next = async (previousTicket: string) =>
        expectStatus(await h.call('POST', at(co, '/next'), { token: operator, body: { previousTicket } }), 200).ticketId;
      expect(await next('done')).toBe(a.ticketId);
      expect(await next('done')).toBe(b.ticketId);
      expect(await state(a.ticketId)).toBe(700);
      expect(await next('no_show')).toBe(c.ticketId);
      expect(await state(b.ticketId)).toBe(400);
      expect((await messagesOf(b.ticketId)).map((m) => m.action)).toEqual(
        expect.arrayContaining(['TICKET_CALLED', 'TICKET_ONHOLD', 'TICKET_NOSHOW']),
      );
      expect(await next('keep')).toBe(d.ticketId);
      expect([await state(c.ticketId), await state(d.ticketId)]).toEqual([200, 200]);
      const bad = await h.call('POST', at(co, '/next'), { token: operator, body: { previousTicket: 'later' } });
      expect([bad.status, bad.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    });
  });

  it('calls a chosen waiting ticket out of order, then the line goes on from its head', async () => {
    const { co, operator, take } = await counter('ChosenCo');
    const [a, , c] = [await take(), await take(), await take()];
    const called = expectStatus(await h.call('POST', at(co, `/tickets/${c.ticketId}/call`), { token: operator }), 200);
    expect([called.ticketId, called.state, called.endpoint.endpointId]).toEqual([c.ticketId, 200, co.endpointId]);
    expect((await messagesOf(c.ticketId)).at(-1).action).toBe('TICKET_CALLED');
    const next = expectStatus(await h.call('POST', at(co, '/next'), { token: operator, body: { previousTicket: 'done' } }), 200);
    expect(next.ticketId).toBe(a.ticketId);
  });

  describe('priority', () => {
    it('is refused where the queue does not allow it', async () => {
      const { co, operator, take } = await counter('NoPriorityCo');
      const ticket = await take();
      const refused = await h.call('PUT', at(co, `/tickets/${ticket.ticketId}/priority`), { token: operator, body: { priority: true } });
      expect([refused.status, refused.body.error.code]).toEqual([409, 'PRIORITY_NOT_ALLOWED']);
    });

    it('puts a priority ticket first in line and in the call order, marked on the ticket, the desk and the display', async () => {
      const { co, user, operator, take } = await counter('PriorityCo', { priorityAllowed: true });
      const [a, b, c] = [await take(), await take(), await take()];
      const marked = expectStatus(
        await h.call('PUT', at(co, `/tickets/${c.ticketId}/priority`), { token: operator, body: { priority: true } }),
        200,
      );
      expect(marked.priority).toBe(true);
      const own = expectStatus(await h.call('GET', `/v2/user/tickets/${c.ticketId}`, { key: co.bookingKey, token: user.token }), 200);
      expect([own.priority, own.ticketPosition.queue.tickets]).toEqual([true, 0]);
      const behind = expectStatus(await h.call('GET', `/v2/user/tickets/${b.ticketId}`, { key: co.bookingKey, token: user.token }), 200);
      expect([behind.priority, behind.ticketPosition.queue.tickets]).toEqual([undefined, 2]);
      // A walk-in the desk adds as priority goes behind the priority ticket already there, ahead of the rest.
      const walkIn = expectStatus(
        await h.call('POST', at(co, '/walk-ins'), { token: operator, body: { queueId: co.queueId, priority: true } }),
        201,
      );
      expect([walkIn.ticket.priority, walkIn.ticket.ticketPosition.queue.tickets]).toEqual([true, 1]);

      const order: string[] = [];
      for (let i = 0; i < 4; i++)
        order.push(
          expectStatus(await h.call('POST', at(co, '/next'), { token: operator, body: { previousTicket: 'done' } }), 200).ticketId,
        );
      expect(order).toEqual([c.ticketId, walkIn.ticket.ticketId, a.ticketId, b.ticketId]);
      expect(order.length).toBe(4);
    });

    it('shows the priority of the called ticket on the display', async () => {
      const { co, operator, take } = await counter('BoardPriorityCo', { priorityAllowed: true });
      const ticket = await take();
      expectStatus(await h.call('PUT', at(co, `/tickets/${ticket.ticketId}/priority`), { token: operator, body: { priority: true } }), 200);
      expectStatus(await h.call('POST', at(co, '/next'), { token: operator }), 200);
      const board = expectStatus(await h.call('GET', `/v2/display/places/${co.placeId}/endpoints`, { key: co.bookingKey }), 200);
      const current = board.endpoints.find((e: any) => e.id === co.endpointId).current;
      expect([current.label, current.priority]).toEqual([ticket.label, true]);
    });
  });

  describe('transfer', () => {
    it('keeps its place in the new queue, or goes to its end, with a TICKET_BOOKED that names the queue', async () => {
      const { co, user, operator, take } = await counter('TransferCo');
      const early = await take(co.queueId);
      const late = await take(co.queueId);
      const b1 = await take(co.secondQueueId);
      const b2 = await take(co.secondQueueId);
      const own = async (ticketId: string) =>
        expectStatus(await h.call('GET', `/v2/user/tickets/${ticketId}`, { key: co.bookingKey, token: user.token }), 200);

      const kept = expectStatus(
        await h.call('POST', at(co, `/tickets/${early.ticketId}/transfer`), {
          token: operator,
          body: { toQueueId: co.secondQueueId, place: 'keep' },
        }),
        200,
      );
      expect([kept.queue.queueId, kept.state, kept.label]).toEqual([co.secondQueueId, 0, early.label]);
      expect((await own(early.ticketId)).ticketPosition.queue.tickets).toBe(0);
      expect((await own(b1.ticketId)).ticketPosition.queue.tickets).toBe(1);

      expectStatus(
        await h.call('POST', at(co, `/tickets/${late.ticketId}/transfer`), {
          token: operator,
          body: { toQueueId: co.secondQueueId, place: 'end' },
        }),
        200,
      );
      expect((await own(late.ticketId)).ticketPosition.queue.tickets).toBe(3);
      expect((await own(b2.ticketId)).ticketPosition.queue.tickets).toBe(2);
      // The old queue's line is empty; the new one holds four.
      const state = expectStatus(await h.call('GET', `/v2/queues/${co.queueId}/state`, { key: co.bookingKey }), 200);
      expect(state.waiting.tickets).toBe(0);
      expect(expectStatus(await h.call('GET', `/v2/queues/${co.secondQueueId}/state`, { key: co.bookingKey }), 200).waiting.tickets).toBe(
        4,
      );

      const message = (await messagesOf(early.ticketId)).at(-1);
      expect(message.action).toBe('TICKET_BOOKED');
      expect(message.body.message.content).toContain('you now wait for Billing');
      expect(message.body.message.data.queue.queueId).toBe(co.secondQueueId);
    });

    it('keeps a ticket for one counter: only that counter calls it, and the text names it', async () => {
      const { co, operator, take } = await counter('KeptCo');
      const kept = await take();
      const other = await take();
      const moved = expectStatus(
        await h.call('POST', at(co, `/tickets/${kept.ticketId}/transfer`), {
          token: operator,
          body: { toEndpointId: co.secondEndpointId, place: 'keep' },
        }),
        200,
      );
      expect([moved.queue.queueId, moved.keptForEndpointId, moved.endpoint.name]).toEqual([co.queueId, co.secondEndpointId, 'Counter 2']);
      expect((await messagesOf(kept.ticketId)).at(-1).body.message.content).toContain('you will be called at Counter 2');
      expect(expectStatus(await h.call('POST', at(co, '/next'), { token: operator }), 200).ticketId).toBe(other.ticketId);
      const second = await loginOperator(h, co, co.secondEndpointId);
      await openCounter(h, second, co.secondEndpointId);
      expect(expectStatus(await h.call('POST', at(co, '/next', co.secondEndpointId), { token: second }), 200).ticketId).toBe(kept.ticketId);
    });

    it('moves a ticket in progress to another queue after its service, and refuses ended tickets and other places', async () => {
      const { co, operator, take } = await counter('AfterServiceCo');
      const ticket = await take();
      expectStatus(await h.call('POST', at(co, '/next'), { token: operator }), 200);
      expectStatus(await h.call('PUT', at(co, `/tickets/${ticket.ticketId}/state`), { token: operator, body: { state: 500 } }), 200);
      const moved = expectStatus(
        await h.call('POST', at(co, `/tickets/${ticket.ticketId}/transfer`), {
          token: operator,
          body: { toQueueId: co.secondQueueId, place: 'end' },
        }),
        200,
      );
      expect([moved.state, moved.endpoint, moved.ticketPosition.queue.tickets]).toEqual([0, null, 0]);
      // The counter is free again (its next call is not refused), and it serves Billing: the ticket is called there.
      expect(expectStatus(await h.call('POST', at(co, '/next'), { token: operator }), 200).ticketId).toBe(ticket.ticketId);

      const other = await setUpCompany(h, 'ElsewhereCo');
      const foreign = await h.call('POST', at(co, `/tickets/${ticket.ticketId}/transfer`), {
        token: operator,
        body: { toQueueId: other.queueId, place: 'keep' },
      });
      expect([foreign.status, foreign.body.error.code]).toEqual([404, 'QUEUE_NOT_FOUND']);
      const nowhere = await h.call('POST', at(co, `/tickets/${ticket.ticketId}/transfer`), { token: operator, body: { place: 'keep' } });
      expect([nowhere.status, nowhere.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
      expectStatus(await h.call('PUT', at(co, `/tickets/${ticket.ticketId}/state`), { token: operator, body: { state: 600 } }), 200);
      const ended = await h.call('POST', at(co, `/tickets/${ticket.ticketId}/transfer`), {
        token: operator,
        body: { toQueueId: co.queueId, place: 'keep' },
      });
      expect([ended.status, ended.body.error.code]).toEqual([409, 'INVALID_TRANSITION']);
    });
  });

  it('shows a note to staff only: never in the person’s ticket, a message, the history or the display', async () => {
    const { co, user, operator, take } = await counter('NoteCo');
    const ticket = await take(co.queueId, { sendClientSms: true, userData: { phone: '+33612345678' } });
    const secret = 'needs-wheelchair-7f3a';
    const noted = expectStatus(
      await h.call('PUT', at(co, `/tickets/${ticket.ticketId}/note`), { token: operator, body: { note: secret } }),
      200,
    );
    expect(noted.note).toBe(secret);
    expectStatus(await h.call('POST', at(co, '/next'), { token: operator }), 200);
    const list = expectStatus(await h.call('GET', at(co, '/tickets'), { token: operator }), 200);
    expect(list.tickets.find((t: any) => t.ticketId === ticket.ticketId).note).toBe(secret);

    const seen = [
      await h.call('GET', `/v2/user/tickets/${ticket.ticketId}`, { key: co.bookingKey, token: user.token }),
      await h.call('GET', '/v2/user/tickets', { key: co.bookingKey, token: user.token }),
      await h.call('GET', `/v2/display/places/${co.placeId}/endpoints`, { key: co.bookingKey }),
      await h.admin('GET', `/admin/messages?ticketId=${ticket.ticketId}`),
      await h.admin('GET', `/admin/tickets/${ticket.ticketId}/timeline`),
    ];
    for (const reply of seen) {
      expect(reply.status).toBe(200);
      expect(JSON.stringify(reply.body)).not.toContain(secret);
    }
    expect(JSON.stringify(await messagesOf(ticket.ticketId))).not.toContain('note');
    const removed = expectStatus(
      await h.call('PUT', at(co, `/tickets/${ticket.ticketId}/note`), { token: operator, body: { note: ' ' } }),
      200,
    );
    expect(removed.note).toBeNull();
    const long = await h.call('PUT', at(co, `/tickets/${ticket.ticketId}/note`), { token: operator, body: { note: 'x'.repeat(1001) } });
    expect([long.status, long.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('takes "I\'m here" and "running late" from the person, shows them to staff, and sends no message', async () => {
    const { co, user, operator, take } = await counter('ArrivalCo');
    const ticket = await take();
    const before = (await messagesOf(ticket.ticketId)).length;
    const own = { key: co.bookingKey, token: user.token };
    const late = expectStatus(
      await h.call('PUT', `/v2/user/tickets/${ticket.ticketId}/runningLate`, { ...own, body: { minutes: 10 } }),
      200,
    );
    expect(late.runningLate).toEqual({ minutes: 10, at: new Date(h.clock.now()).toISOString() });
    expect(late.state).toBe(0);
    let staff = expectStatus(await h.call('GET', at(co, `/tickets/${ticket.ticketId}`), { token: operator }), 200);
    expect(staff.runningLate.minutes).toBe(10);
    const here = expectStatus(await h.call('PUT', `/v2/user/tickets/${ticket.ticketId}/checkIn`, own), 200);
    expect([here.checkedInAt, here.runningLate]).toEqual([new Date(h.clock.now()).toISOString(), undefined]);
    staff = expectStatus(await h.call('GET', at(co, `/tickets/${ticket.ticketId}`), { token: operator }), 200);
    expect(staff.checkedInAt).toBe(here.checkedInAt);
    expect((await messagesOf(ticket.ticketId)).length).toBe(before);
    const bad = await h.call('PUT', `/v2/user/tickets/${ticket.ticketId}/runningLate`, { ...own, body: { minutes: 0 } });
    expect([bad.status, bad.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);

    expectStatus(await h.call('POST', at(co, '/next'), { token: operator }), 200);
    const tooLate = await h.call('PUT', `/v2/user/tickets/${ticket.ticketId}/runningLate`, { ...own, body: { minutes: 5 } });
    expect([tooLate.status, tooLate.body.error.code]).toEqual([409, 'TICKET_NOT_WAITING']);
    expectStatus(await h.call('PUT', at(co, `/tickets/${ticket.ticketId}/state`), { token: operator, body: { state: 700 } }), 200);
    const ended = await h.call('PUT', `/v2/user/tickets/${ticket.ticketId}/checkIn`, own);
    expect([ended.status, ended.body.error.code]).toEqual([409, 'TICKET_NOT_WAITING']);
    const timeline = expectStatus(await h.admin('GET', `/admin/tickets/${ticket.ticketId}/timeline`), 200);
    expect(JSON.stringify(timeline)).toContain('running-late');
  });
});
