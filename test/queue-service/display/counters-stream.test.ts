/**
 * A display board loaded while its counters were closed learns from its stream when one opens and
 * closes again: a `counters` event, on which the board reads the counters again.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../support/engines.js';
import { QueueHarness, expectStatus } from '../support/harness.js';
import { book, createUser, loginOperator, openCounter, setUpCompany } from '../support/company.js';
import { SseClient } from '../streams/support/sse-client.js';

describeEachEngine('display board counters, live', (engine) => {
  let h: QueueHarness;
  const clients: SseClient[] = [];
  beforeAll(async () => {
    h = await QueueHarness.start(engine);
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await h.close();
  });

  it('sends the counters to the boards of the place when a counter opens or closes', async () => {
    const co = await setUpCompany(h, 'OpeningCo');
    const other = await setUpCompany(h, 'ElsewhereCo');
    const operator = await loginOperator(h, co);
    const before = expectStatus(await h.call('GET', `/v2/display/places/${co.placeId}/endpoints`, { key: co.bookingKey }), 200);
    expect(before.endpoints.find((e: { id: string }) => e.id === co.endpointId).isOpen).toBe(false);

    const board = await SseClient.open(`${h.url}/v2/display/places/${co.placeId}/calls/sse?key=${co.bookingKey}`);
    const elsewhere = await SseClient.open(`${h.url}/v2/display/places/${other.placeId}/calls/sse?key=${other.bookingKey}`);
    clients.push(board, elsewhere);

    const counterOf = async () =>
      expectStatus(await h.call('GET', `/v2/display/places/${co.placeId}/endpoints`, { key: co.bookingKey }), 200).endpoints.find(
        (e: { id: string }) => e.id === co.endpointId,
      );

    await openCounter(h, operator, co.endpointId);
    expect((await board.next((event) => event.event === 'counters')).data).toEqual({ placeId: co.placeId });
    expect(await counterOf()).toMatchObject({ isOpen: true, current: null });

    // A call still arrives as a call.
    const user = await createUser(h, co);
    expectStatus(await book(h, co, user.token), 201);
    expectStatus(await h.call('POST', `/v2/endpoints/${co.endpointId}/next`, { token: operator, body: { previousTicket: 'keep' } }), 200);
    expect((await board.next((event) => event.event === 'call')).data).toMatchObject({ label: 'A001' });

    expectStatus(await h.call('PUT', `/v2/endpoints/${co.endpointId}`, { token: operator, body: { isOpen: false } }), 200);
    expect((await board.next((event) => event.event === 'counters')).data).toEqual({ placeId: co.placeId });
    expect(await counterOf()).toMatchObject({ isOpen: false });

    // The board of another place heard nothing about these counters.
    expect(elsewhere.events.filter((event) => event.event === 'counters')).toEqual([]);
  });
});
