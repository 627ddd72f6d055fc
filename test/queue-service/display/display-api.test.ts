import { SUPPORTED_LOCALES } from '../../../src/contract/locale.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../support/engines.js';
import { QueueHarness, expectStatus } from '../support/harness.js';
import { book, createUser, loginOperator, openCounter, setUpCompany } from '../support/company.js';
import { SseClient } from '../streams/support/sse-client.js';

/** A name with no translations, as every built-in locale shows it. */
const everyLocale = (name: string) => Object.fromEntries(SUPPORTED_LOCALES.map((locale) => [locale, name]));
describeEachEngine('display API', (engine) => {
  let h: QueueHarness;
  const clients: SseClient[] = [];
  beforeAll(async () => {
    h = await QueueHarness.start(engine);
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await h.close();
  });
  const open = async (path: string, headers: Record<string, string> = {}) => {
    const client = await SseClient.open(h.url + path, headers);
    clients.push(client);
    return client;
  };

  async function busyPlace(name: string) {
    const co = await setUpCompany(h, name);
    const user = await createUser(h, co);
    const one = await loginOperator(h, co);
    const two = await loginOperator(h, co, co.secondEndpointId);
    await openCounter(h, one, co.endpointId);
    await openCounter(h, two, co.secondEndpointId);
    return { co, user, one, two };
  }

  it('lists the counters of a place with their names per locale and the ticket each is calling', async () => {
    const { co, user, one, two } = await busyPlace('BoardCo');
    for (let i = 0; i < 3; i++) expectStatus(await book(h, co, user.token), 201);
    expectStatus(await h.call('POST', `/v2/endpoints/${co.endpointId}/next`, { token: one, body: { previousTicket: 'keep' } }), 200);
    expectStatus(await h.call('POST', `/v2/endpoints/${co.secondEndpointId}/next`, { token: two, body: { previousTicket: 'keep' } }), 200);
    const board = expectStatus(await h.call('GET', `/v2/display/places/${co.placeId}/endpoints`, { key: co.bookingKey }), 200);
    expect(board).toMatchObject({ placeId: co.placeId, name: 'BoardCo Paris', timeZone: 'Europe/Paris', lang: 'en_US' });
    expect(board.endpoints).toEqual([
      {
        id: co.endpointId,
        name: 'Counter 1',
        names: { fr_FR: 'Guichet 1' },
        isOpen: true,
        queueIds: [co.queueId, co.secondQueueId].sort(),
        current: expect.objectContaining({ label: 'A001', recallCount: 0 }),
      },
      {
        id: co.secondEndpointId,
        name: 'Counter 2',
        names: {},
        isOpen: true,
        queueIds: [co.queueId],
        current: expect.objectContaining({ label: 'A002' }),
      },
    ]);
    const other = await setUpCompany(h, 'OtherBoardCo');
    expect((await h.call('GET', `/v2/display/places/${co.placeId}/endpoints`, { key: other.bookingKey })).body.error.code).toBe(
      'PLACE_NOT_FOUND',
    );
    expect((await h.call('GET', `/v2/display/places/${co.placeId}/endpoints`)).status).toBe(401);
  });

  it('streams calls and recalls to the screens of the place, and replays the calls a screen missed', async () => {
    const { co, user, one } = await busyPlace('CallsCo');
    for (let i = 0; i < 3; i++) expectStatus(await book(h, co, user.token), 201);
    const screen = await open(`/v2/display/places/${co.placeId}/calls/sse?key=${co.bookingKey}`);
    expect(screen.status).toBe(200);
    const called = expectStatus(
      await h.call('POST', `/v2/endpoints/${co.endpointId}/next`, { token: one, body: { previousTicket: 'keep' } }),
      200,
    );
    const call = await screen.next();
    expect(call.event).toBe('call');
    expect(call.data).toEqual({
      ticketId: called.ticketId,
      label: 'A001',
      queue: { queueId: co.queueId, name: everyLocale('Accounts') },
      endpoint: { endpointId: co.endpointId, name: { ...everyLocale('Counter 1'), fr_FR: 'Guichet 1' } },
      calledAt: '2026-03-02T09:00:00.000Z',
      recall: false,
      recallCount: 0,
    });
    expectStatus(await h.call('PUT', `/v2/endpoints/${co.endpointId}/tickets/${called.ticketId}/recall`, { token: one }), 200);
    expect((await screen.next()).data).toMatchObject({ label: 'A001', recall: true, recallCount: 1 });
    const seen = screen.lastEventId!;
    screen.close();
    expectStatus(await h.call('POST', `/v2/endpoints/${co.endpointId}/next`, { token: one, body: { previousTicket: 'keep' } }), 200);
    const resumed = await open(`/v2/display/places/${co.placeId}/calls/sse?key=${co.bookingKey}`, { 'last-event-id': seen });
    expect((await resumed.next()).data).toMatchObject({ label: 'A002', recall: false });
    const fresh = await open(`/v2/display/places/${co.placeId}/calls/sse?key=${co.bookingKey}`);
    const today = [await fresh.next(), await fresh.next(), await fresh.next()];
    expect(today.map((event) => [event.data.label, event.data.recall])).toEqual([
      ['A001', false],
      ['A001', true],
      ['A002', false],
    ]);
  });

  it("streams the tickets of a place to its screens without the people's data: on connect, each change, after a reconnection", async () => {
    const { co, user, one } = await busyPlace('TicketBoardCo');
    const first = expectStatus(await book(h, co, user.token, { userData: { name: 'Ada', phone: '+33612345678' } }), 201);
    const second = expectStatus(await book(h, co, user.token, {}, co.secondQueueId), 201);
    const board = await open(`/v2/places/${co.placeId}/tickets/sse?key=${co.bookingKey}`);
    expect(board.status).toBe(200);
    const snapshot = [await board.next(), await board.next()];
    expect(snapshot.map((event) => [event.event, event.data.ticketId, event.data.state])).toEqual([
      ['ticket', first.ticketId, 0],
      ['ticket', second.ticketId, 0],
    ]);
    for (const field of ['userData', 'notifications', 'source', 'rating']) expect(snapshot[0]!.data).not.toHaveProperty(field);
    expect(snapshot[0]!.data).toMatchObject({
      label: 'A001',
      queue: { queueId: co.queueId, name: 'Accounts' },
      place: { placeId: co.placeId },
      ticketPosition: { queue: { tickets: 0, people: 0 } },
      endpoint: null,
    });
    const counterBoard = await open(`/v2/queues/${co.queueId}/tickets/sse?key=${co.bookingKey}&endpointId=${co.endpointId}`);
    const billingBoard = await open(`/v2/places/${co.placeId}/tickets/sse?key=${co.bookingKey}&queueIds=${co.secondQueueId}`);
    expect((await billingBoard.next()).data.ticketId).toBe(second.ticketId);

    expectStatus(await h.call('POST', `/v2/endpoints/${co.endpointId}/next`, { token: one }), 200);
    const called = await board.next();
    expect(called.data).toMatchObject({
      ticketId: first.ticketId,
      state: 200,
      endpoint: { endpointId: co.endpointId, name: 'Counter 1', names: { en_US: 'Counter 1', fr_FR: 'Guichet 1' } },
    });
    expect((await counterBoard.next()).data).toMatchObject({ ticketId: first.ticketId, state: 200 });
    const seen = board.lastEventId!;
    board.close();
    expectStatus(
      await h.call('PUT', `/v2/endpoints/${co.endpointId}/tickets/${first.ticketId}/state`, { token: one, body: { state: 700 } }),
      200,
    );
    expect((await counterBoard.next()).data).toMatchObject({ ticketId: first.ticketId, state: 700 });
    const resumed = await open(`/v2/places/${co.placeId}/tickets/sse?key=${co.bookingKey}`, { 'last-event-id': seen });
    expect((await resumed.next()).data).toMatchObject({ ticketId: first.ticketId, state: 700 });
    // The Billing screen heard nothing of the Accounts ticket: its next event is its own ticket's cancellation.
    expectStatus(await h.call('PUT', `/v2/user/tickets/${second.ticketId}/cancel`, { key: co.bookingKey, token: user.token }), 200);
    expect((await billingBoard.next()).data).toMatchObject({ ticketId: second.ticketId, state: 600 });
  });

  it('refuses bad input on the call stream with the error shape', async () => {
    const { co } = await busyPlace('BadBoardCo');
    const cases: Array<[string, Record<string, string>, number, string]> = [
      [`/v2/display/places/${co.placeId}/calls/sse?key=${co.bookingKey}`, { 'last-event-id': '-3' }, 400, 'VALIDATION_FAILED'],
      [`/v2/display/places/plc_unknown/calls/sse?key=${co.bookingKey}`, {}, 404, 'PLACE_NOT_FOUND'],
      [`/v2/display/places/${co.placeId}/calls/sse`, {}, 401, 'UNAUTHENTICATED'],
      [`/v2/display/places/${co.placeId}/calls/sse?key=${co.bookingKey}&since=yesterday`, {}, 400, 'VALIDATION_FAILED'],
      [`/v2/places/${co.placeId}/tickets/sse?key=${co.bookingKey}`, { 'last-event-id': 'x' }, 400, 'VALIDATION_FAILED'],
      [`/v2/places/plc_unknown/tickets/sse?key=${co.bookingKey}`, {}, 404, 'PLACE_NOT_FOUND'],
      [`/v2/places/${co.placeId}/tickets/sse?key=${co.bookingKey}&queueIds=que_unknown`, {}, 404, 'QUEUE_NOT_FOUND'],
      [`/v2/places/${co.placeId}/tickets/sse?key=${co.bookingKey}&endpointId=end_unknown`, {}, 404, 'ENDPOINT_NOT_FOUND'],
      [`/v2/places/${co.placeId}/tickets/sse?key=${co.bookingKey}&queueIds=a;b`, {}, 400, 'VALIDATION_FAILED'],
      [`/v2/queues/que_unknown/tickets/sse?key=${co.bookingKey}`, {}, 404, 'QUEUE_NOT_FOUND'],
      [`/v2/queues/${co.queueId}/tickets/sse`, {}, 401, 'UNAUTHENTICATED'],
    ];
    for (const [path, headers, status, code] of cases) {
      const client = await open(path, headers);
      expect([client.status, client.body?.error?.code], path).toEqual([status, code]);
    }
  });
});
