import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../support/engines.js';
import { QueueHarness, expectStatus } from '../support/harness.js';
import { book, createUser, loginOperator, openCounter, setUpCompany } from '../support/company.js';

describeEachEngine('waiting counters', (engine) => {
  let h: QueueHarness;
  beforeAll(async () => {
    h = await QueueHarness.start(engine);
  });
  afterAll(() => h.close());

  it('stay equal to a count of the waiting tickets through bookings, calls, cancellations and appointments', async () => {
    const co = await setUpCompany(h, 'CountCo');
    const user = await createUser(h, co);
    const operator = await loginOperator(h, co);
    await openCounter(h, operator, co.endpointId);
    const ids: string[] = [];
    // A fixed pseudo-random walk, so a failure replays the same way.
    let seed = 7;
    const random = () => {
      seed = (seed * 48271) % 2147483647;
      return seed / 2147483647;
    };
    for (let step = 0; step < 60; step++) {
      h.clock.advance(1000);
      const roll = random();
      if (roll < 0.5 || ids.length === 0) {
        const queueId = random() < 0.5 ? co.queueId : co.secondQueueId;
        const bookedFor = random() < 0.2 ? new Date(h.clock.now() + 3_600_000).toISOString() : undefined;
        ids.push(expectStatus(await book(h, co, user.token, { groupSize: 1 + Math.floor(random() * 4), bookedFor }, queueId), 201).id);
      } else if (roll < 0.75) {
        await h.call('POST', `/v2/endpoints/${co.endpointId}/next`, { token: operator, body: { previousTicket: 'keep' } });
      } else {
        await h.call('PUT', `/v2/user/tickets/${ids[Math.floor(random() * ids.length)]}/cancel`, { key: co.bookingKey, token: user.token });
      }
    }
    for (const queueId of [co.queueId, co.secondQueueId]) {
      const counted = await h.db
        .selectFrom('tickets')
        .select((eb) => [eb.fn.countAll<number>().as('tickets'), eb.fn.sum<number>('group_size').as('people'), 'is_appointment'])
        .where('queue_id', '=', queueId)
        .where('state', 'in', [0, 50, 100])
        .groupBy('is_appointment')
        .execute();
      const of = (appointment: number) => counted.find((row) => Number(row.is_appointment) === appointment);
      const counters = await h.db.selectFrom('queue_counters').selectAll().where('queue_id', '=', queueId).executeTakeFirstOrThrow();
      expect(counters).toEqual({
        queue_id: queueId,
        fifo_tickets: Number(of(0)?.tickets ?? 0),
        fifo_people: Number(of(0)?.people ?? 0),
        appointment_tickets: Number(of(1)?.tickets ?? 0),
        appointment_people: Number(of(1)?.people ?? 0),
      });
    }
    const state = expectStatus(await h.call('GET', `/v2/queues/${co.queueId}/state`, { key: co.bookingKey }), 200);
    const waitingInA = await h.db
      .selectFrom('tickets')
      .select('id')
      .where('queue_id', '=', co.queueId)
      .where('state', 'in', [0, 50, 100])
      .execute();
    expect(state.waiting.tickets).toBe(waitingInA.length);
  });
});
