import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamHubOf } from '../../../src/queue-service/app.js';
import { describeEachEngine } from '../../support/engines.js';
import { QueueHarness, expectStatus } from '../support/harness.js';
import { book, createUser, loginOperator, openCounter, setUpCompany, type TestCompany } from '../support/company.js';
import { SseClient } from './support/sse-client.js';

describeEachEngine('live streams', (engine) => {
  let h: QueueHarness;
  const clients: SseClient[] = [];
  beforeAll(async () => {
    h = await QueueHarness.start(engine);
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await h.close();
  });

  async function open(path: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const client = await SseClient.open(h.url + path, headers);
    clients.push(client);
    return client;
  }
  const userHeaders = (co: TestCompany, token: string) => ({ 'x-api-key': co.bookingKey, authorization: `Bearer ${token}` });
  const ticketStream = (co: TestCompany, token: string, ticketId: string, extra: Record<string, string> = {}) =>
    open(`/v2/user/tickets/${ticketId}/sse`, { ...userHeaders(co, token), ...extra });

  async function counterCo(name: string, settings: Record<string, unknown> = {}) {
    const co = await setUpCompany(h, name, settings);
    const user = await createUser(h, co);
    const operator = await loginOperator(h, co);
    await openCounter(h, operator, co.endpointId);
    const next = () =>
      h
        .call('POST', `/v2/endpoints/${co.endpointId}/next`, { token: operator, body: { previousTicket: 'keep' } })
        .then((reply) => expectStatus(reply, 200));
    const setState = (ticketId: string, state: number) =>
      h
        .call('PUT', `/v2/endpoints/${co.endpointId}/tickets/${ticketId}/state`, { token: operator, body: { state } })
        .then((reply) => expectStatus(reply, 200));
    return { co, user, operator, next, setState };
  }

  describe('ticket streams', () => {
    it("send the ticket on connect, then every change with the event's id", async () => {
      const { co, user, next } = await counterCo('OneTicketCo');
      const ticket = expectStatus(await book(h, co, user.token), 201);
      const stream = await ticketStream(co, user.token, ticket.ticketId);
      expect(stream.status).toBe(200);
      const snapshot = await stream.next();
      expect(snapshot.event).toBe('ticket');
      expect(snapshot.data).toEqual({ ticket, changes: [] });
      expect(Number(snapshot.id)).toBeGreaterThan(0);
      const called = await next();
      // (On PostgreSQL the booking's own notification may still arrive after the snapshot; it is not this.)
      const change = await stream.next((event) => event.event === 'ticket' && event.data.changes.some((c: any) => c.to === 200));
      expect(change.data.ticket).toEqual(called);
      expect(change.data.changes).toEqual([
        expect.objectContaining({ from: 0, to: 200, action: 'TICKET_CALLED', version: 2, endpointId: co.endpointId }),
      ]);
      expect(Number(change.id)).toBeGreaterThan(Number(snapshot.id));
    });

    it('tell every watcher of a waiting ticket its new position when the line moves', async () => {
      // Alerted with nobody ahead: A001 when booked, A002 once A001 is called.
      const { co, user, next } = await counterCo('PositionsCo', { alertPositions: [0] });
      const tickets = [];
      for (let i = 0; i < 6; i++) {
        h.clock.advance(1_000);
        tickets.push(expectStatus(await book(h, co, user.token, { groupSize: 1 + (i % 2) }), 201));
      }
      const streams = await Promise.all(tickets.map((ticket) => ticketStream(co, user.token, ticket.ticketId)));
      await Promise.all(streams.map((stream) => stream.next()));
      await next();
      // A006 had 1+2+1+2+1 = 7 people ahead; now 6, and it is not near enough to be alerted.
      const moved = await streams[5]!.next((event) => event.event === 'position');
      expect(moved.data).toEqual({
        ticketId: tickets[5].ticketId,
        ticketPosition: { queue: { tickets: 4, people: 6 }, endpoint: { tickets: 4, people: 6 } },
        timeline: { estimatedFor: expect.any(String) },
      });
      const view = expectStatus(
        await h.call('GET', `/v2/user/tickets/${tickets[5].ticketId}`, { key: co.bookingKey, token: user.token }),
        200,
      );
      expect(view.ticketPosition).toEqual(moved.data.ticketPosition);
      expect(moved.data.timeline.estimatedFor).toBe(view.timeline.estimatedFor);
      // A002 is alerted: its change brings the ticket with its new position.
      const alerted = await streams[1]!.next((event) => event.event === 'ticket' && event.data.ticket.state === 100);
      expect(alerted.data.ticket).toMatchObject({ state: 100, ticketPosition: { queue: { tickets: 0, people: 0 } } });
      const positions = await Promise.all(streams.slice(3, 5).map((stream) => stream.next((event) => event.event === 'position')));
      expect(positions.map((event) => event.data.ticketPosition.queue)).toEqual([
        { tickets: 2, people: 3 },
        { tickets: 3, people: 5 },
      ]);
      expect(positions.every((event) => event.id === moved.id)).toBe(true);
    });

    it("follow all of a user's tickets, including those booked later, with the token in the query", async () => {
      const { co, user } = await counterCo('UserStreamCo');
      const first = expectStatus(await book(h, co, user.token), 201);
      const stream = await open(`/v2/user/tickets/sse?key=${co.bookingKey}&token=${user.token}`);
      expect((await stream.next()).data.ticket.ticketId).toBe(first.ticketId);
      const second = expectStatus(await book(h, co, user.token, {}, co.secondQueueId), 201);
      const booked = await stream.next((event) => event.data.ticket?.ticketId === second.ticketId);
      expect(booked.data).toMatchObject({
        ticket: { ticketId: second.ticketId, state: 0 },
        changes: [{ from: null, to: 0, action: 'TICKET_BOOKED' }],
      });
      expectStatus(await h.call('PUT', `/v2/user/tickets/${second.ticketId}/cancel`, { key: co.bookingKey, token: user.token }), 200);
      expect((await stream.next((event) => event.data.ticket?.state === 600)).data.ticket).toMatchObject({
        ticketId: second.ticketId,
        state: 600,
      });
      // Another user's tickets never show up.
      const stranger = await createUser(h, co);
      const theirs = expectStatus(await book(h, co, stranger.token), 201);
      expectStatus(await h.call('PUT', `/v2/user/tickets/${theirs.ticketId}/cancel`, { key: co.bookingKey, token: stranger.token }), 200);
      expectStatus(await h.call('PUT', `/v2/user/tickets/${first.ticketId}/cancel`, { key: co.bookingKey, token: user.token }), 200);
      const next = await stream.next((event) => event.data.ticket?.state === 600 && event.data.ticket.ticketId !== second.ticketId);
      expect(next.data.ticket.ticketId).toBe(first.ticketId);
      expect(stream.events.some((event) => event.data.ticket?.ticketId === theirs.ticketId)).toBe(false);
    });

    it('resume from Last-Event-ID with the changes missed meanwhile', async () => {
      const { co, user, next, setState } = await counterCo('ResumeCo');
      const ticket = expectStatus(await book(h, co, user.token), 201);
      const first = await ticketStream(co, user.token, ticket.ticketId);
      const lastSeen = (await first.next()).id!;
      first.close();
      await next();
      await setState(ticket.ticketId, 500);
      const resumed = await ticketStream(co, user.token, ticket.ticketId, { 'last-event-id': lastSeen });
      const snapshot = await resumed.next();
      expect(snapshot.data.ticket.state).toBe(500);
      expect(snapshot.data.changes.map((change: any) => [change.from, change.to])).toEqual([
        [0, 200],
        [200, 500],
      ]);
      expect(Number(snapshot.id)).toBe(snapshot.data.changes[1].id);
      // Resuming from the newest id: nothing missed, the ticket as it is, and no id to move back to.
      const current = await ticketStream(co, user.token, ticket.ticketId, { 'last-event-id': snapshot.id! });
      const again = await current.next();
      expect(again.data.changes).toEqual([]);
      expect(again.id).toBeNull();
      const viaQuery = await open(
        `/v2/user/tickets/${ticket.ticketId}/sse?key=${co.bookingKey}&token=${user.token}&lastEventId=${lastSeen}`,
      );
      expect((await viaQuery.next()).data.changes).toHaveLength(2);
    });

    it('refuse bad input with the error shape', async () => {
      const { co, user } = await counterCo('BadStreamCo');
      const ticket = expectStatus(await book(h, co, user.token), 201);
      const stranger = await createUser(h, co);
      const cases: Array<[Promise<SseClient>, number, string]> = [
        [open(`/v2/user/tickets/${ticket.ticketId}/sse`), 401, 'UNAUTHENTICATED'],
        [ticketStream(co, stranger.token, ticket.ticketId), 404, 'TICKET_NOT_FOUND'],
        [ticketStream(co, user.token, ticket.ticketId, { 'last-event-id': 'yesterday' }), 400, 'VALIDATION_FAILED'],
        [ticketStream(co, user.token, 'bad id!'), 400, 'VALIDATION_FAILED'],
        [open(`/v2/user/tickets/sse?key=${co.bookingKey}&token=forged`), 401, 'UNAUTHENTICATED'],
        [open(`/v2/queues/state/sse?queueIds=que_nope&key=${co.bookingKey}`), 404, 'QUEUE_NOT_FOUND'],
        [open(`/v2/queues/state/sse?queueIds=a,,b&key=${co.bookingKey}`), 400, 'VALIDATION_FAILED'],
        [open(`/v2/queues/state/sse?key=${co.bookingKey}`), 400, 'VALIDATION_FAILED'],
        [
          open(`/v2/queues/state/sse?queueIds=${Array.from({ length: 51 }, (_, i) => `q${i}`).join(',')}&key=${co.bookingKey}`),
          400,
          'VALIDATION_FAILED',
        ],
        [open(`/v2/queues/state/sse?queueIds=${co.queueId}&key=${co.operatorKey}`), 403, 'FORBIDDEN'],
        [open(`/v2/places/plc_nope/queuesStates/sse?key=${co.bookingKey}`), 404, 'PLACE_NOT_FOUND'],
      ];
      for (const [opening, status, code] of cases) {
        const client = await opening;
        expect([client.status, client.body?.error?.code]).toEqual([status, code]);
      }
    });
  });

  describe('queue state streams', () => {
    it('send each queue state on connect and whenever it changes', async () => {
      const { co, user, operator } = await counterCo('StateStreamCo');
      const stream = await open(`/v2/queues/state/sse?queueIds=${co.queueId},${co.secondQueueId}`, { 'x-api-key': co.bookingKey });
      const first = [await stream.next(), await stream.next()];
      expect(first.map((event) => [event.event, event.data.queueId])).toEqual([
        ['state', co.queueId],
        ['state', co.secondQueueId],
      ]);
      expect(first[0]!.data).toMatchObject({ queueIsOpened: true, bookingIsOpened: true, waiting: { tickets: 0, people: 0 } });
      expectStatus(await book(h, co, user.token, { groupSize: 3 }), 201);
      // (A state may repeat: on PostgreSQL the counter's opening can be heard after the snapshot showed it.)
      expect((await stream.next((event) => event.data.waiting.tickets === 1)).data).toMatchObject({
        queueId: co.queueId,
        waiting: { tickets: 1, people: 3 },
      });
      expectStatus(
        await h.call('PUT', `/v2/endpoints/${co.endpointId}/queues/${co.queueId}/booking`, { token: operator, body: { paused: true } }),
        200,
      );
      const paused = await stream.next((event) => event.data.queueId === co.queueId);
      expect(paused.data).toMatchObject({ bookingIsOpened: false, bookingPausedUntil: '2026-03-02T23:00:00.000Z' });
      expectStatus(await h.call('PUT', `/v2/endpoints/${co.endpointId}`, { token: operator, body: { isOpen: false } }), 200);
      const closed = await stream.next((event) => event.data.queueId === co.secondQueueId);
      expect(closed.data).toMatchObject({ queueIsOpened: false, openEndpoints: 0 });
      // A counter desk follows its queues with its operator token.
      const desk = await open(`/v2/queues/state/sse?queueIds=${co.queueId}`, { authorization: `Bearer ${operator}` });
      expect((await desk.next()).data).toMatchObject({ queueId: co.queueId, bookingIsOpened: false });
    });

    it('cover every queue of a place', async () => {
      const { co, user } = await counterCo('PlaceStreamCo');
      const stream = await open(`/v2/places/${co.placeId}/queuesStates/sse?key=${co.bookingKey}`);
      expect([(await stream.next()).data.queueId, (await stream.next()).data.queueId].sort()).toEqual(
        [co.queueId, co.secondQueueId].sort(),
      );
      expectStatus(await book(h, co, user.token, {}, co.secondQueueId), 201);
      expect((await stream.next((event) => event.data.waiting.tickets === 1)).data).toMatchObject({
        queueId: co.secondQueueId,
        waiting: { tickets: 1 },
      });
      const other = await setUpCompany(h, 'OtherPlaceStreamCo');
      expect((await open(`/v2/places/${co.placeId}/queuesStates/sse?key=${other.bookingKey}`)).status).toBe(404);
    });
  });

  describe('connections', () => {
    it('keep idle streams alive with heartbeat comments', async () => {
      const { co, user } = await counterCo('HeartbeatCo');
      const ticket = expectStatus(await book(h, co, user.token), 201);
      const stream = await ticketStream(co, user.token, ticket.ticketId);
      await stream.next();
      streamHubOf(h.app)!.heartbeat();
      await stream.commentsReach(1);
      expect(stream.comments).toBeGreaterThanOrEqual(1);
    });

    it('end when the service closes, so clients reconnect elsewhere', async () => {
      const other = await QueueHarness.start(engine);
      const co = await setUpCompany(other, 'ClosingCo');
      const stream = await SseClient.open(`${other.url}/v2/places/${co.placeId}/queuesStates/sse?key=${co.bookingKey}`);
      await stream.next();
      expect(streamHubOf(other.app)!.streamCount).toBe(1);
      await other.close();
      await stream.end();
      expect(stream.ended).toBe(true);
    });
  });
});
