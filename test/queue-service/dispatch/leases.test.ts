/**
 * Leases (docs/design.md §Workers): an outcome is recorded however long the database stays away, a
 * delivered message is never superseded or expired afterwards, and on PostgreSQL a worker whose
 * clock runs ahead does not take over a live lease, since leases are judged by the database's clock.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { Clock } from '../../../src/platform/clock.js';
import { Dispatcher } from '../../../src/queue-service/dispatch/dispatcher.js';
import { describeEachEngine } from '../../support/engines.js';
import { TEST_DISPATCH, bookWithPush, messagesOf, moveTicket, startDelivery, type DeliverySetup } from './support/delivery.js';
import { ok } from './support/receiver.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeEachEngine('leases', (engine) => {
  let s: DeliverySetup;
  beforeAll(async () => {
    s = await startDelivery(engine);
  });
  afterAll(() => s.close());
  beforeEach(() => s.receiver.behave(ok));

  const received = (ticketId: string) => s.receiver.requests.filter((r) => r.body.includes(ticketId));

  /** Every write of an attempt fails, as if the database were away, until the returned function is called. */
  async function refuseAttemptWrites(): Promise<() => Promise<void>> {
    if (engine === 'postgres') {
      await sql`create function refuse_attempts() returns trigger language plpgsql as $$ begin raise exception 'database away'; end $$`.execute(
        s.h.db,
      );
      await sql`create trigger refuse_attempts before insert on message_attempts execute function refuse_attempts()`.execute(s.h.db);
      return async () => {
        await sql`drop trigger refuse_attempts on message_attempts`.execute(s.h.db);
        await sql`drop function refuse_attempts()`.execute(s.h.db);
      };
    }
    await sql`create trigger refuse_attempts before insert on message_attempts begin select raise(abort, 'database away'); end`.execute(
      s.h.db,
    );
    return async () => {
      await sql`drop trigger refuse_attempts`.execute(s.h.db);
    };
  }

  it('records an accepted delivery once the database answers again, however long it was away', async () => {
    const ticket = await bookWithPush(s);
    const allowWrites = await refuseAttemptWrites();
    const delivering = s.dispatcher.drain();
    await s.receiver.waitFor(() => received(ticket.ticketId).length === 1, 'the BOOKED message at the receiver');
    // Longer than the few tries the recorder used to make before giving the outcome up.
    await sleep(4_500);
    expect((await messagesOf(s, `ticketId=${ticket.ticketId}`)).map((m) => m.status)).toEqual(['delivering']);
    await allowWrites();
    await delivering;
    expect((await messagesOf(s, `ticketId=${ticket.ticketId}`)).map((m) => [m.status, m.attemptCount])).toEqual([['delivered', 1]]);
    expect(received(ticket.ticketId)).toHaveLength(1);
  }, 20_000);

  it('never supersedes or expires a delivered message when a newer one is claimed', async () => {
    const ticket = await bookWithPush(s);
    await s.dispatcher.drain();
    await moveTicket(s, ticket.ticketId, 200);
    // The delivered BOOKED looks like a lease that ran out long ago, past its deadline: only its status says it is done.
    await s.h.db
      .updateTable('messages')
      .set({ next_attempt_at: 0, deliver_by: 0 })
      .where('ticket_id', '=', ticket.ticketId)
      .where('status', '=', 'delivered')
      .execute();
    await s.dispatcher.drain();
    const statuses = (await messagesOf(s, `ticketId=${ticket.ticketId}`)).reverse().map((m) => [m.action, m.status]);
    expect(statuses).toEqual([
      ['TICKET_BOOKED', 'delivered'],
      ['TICKET_CALLED', 'delivered'],
    ]);
  });
});

describeEachEngine('leases judged by the database clock', (engine) => {
  let s: DeliverySetup;
  beforeAll(async () => {
    s = await startDelivery(engine);
  });
  afterAll(() => s.close());

  it('a worker whose clock runs 45 s ahead does not take over a message on the wire', async () => {
    const ticket = await bookWithPush(s);
    s.receiver.behave({ kind: 'slow', delayMs: 1_000 });
    const wallClock: Clock = { now: () => Date.now() };
    const ahead: Clock = { now: () => Date.now() + 45_000 };
    const holder = new Dispatcher({ ...s.h.deps, clock: wallClock }, { ...TEST_DISPATCH, leaseClock: 'database', leaseMs: 10_000 });
    const skewed = new Dispatcher({ ...s.h.deps, clock: ahead }, { ...TEST_DISPATCH, leaseClock: 'database', leaseMs: 10_000 });
    const sending = holder.drain();
    await s.receiver.waitFor(() => s.receiver.requests.some((r) => r.body.includes(ticket.ticketId)), 'BOOKED on the wire');
    await skewed.drain();
    expect(skewed.stats.claimed).toBe(0);
    await sending;
    await Promise.all([holder.stop(), skewed.stop()]);
    expect(s.receiver.requests.filter((r) => r.body.includes(ticket.ticketId))).toHaveLength(1);
    expect((await messagesOf(s, `ticketId=${ticket.ticketId}`)).map((m) => m.status)).toEqual(['delivered']);
  });
});
