/**
 * Fair use of a queue at its defaults (docs/security.md §Fair use): one open ticket per user and per
 * phone or e-mail, named in the 409; a booking budget per client address; concurrent bookings of one
 * user cannot both pass; a server key is not limited.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../support/engines.js';
import { QueueHarness, expectStatus } from '../queue-service/support/harness.js';
import { book, createUser, setUpCompany } from '../queue-service/support/company.js';

describeEachEngine('fair use of a queue', (engine) => {
  let h: QueueHarness;
  beforeAll(async () => {
    h = await QueueHarness.start(engine);
  });
  afterAll(() => h.close());

  it('lets a user hold one open ticket and names it in the 409; a cancel frees the place', async () => {
    const co = await setUpCompany(h, 'OneEach', {}, { fairUseDefaults: true });
    const user = await createUser(h, co);
    const first = expectStatus(await book(h, co, user.token), 201);
    const second = await book(h, co, user.token);
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({
      code: 'TOO_MANY_OPEN_TICKETS',
      details: { field: 'user', limit: 1, label: first.label, ticketId: first.ticketId },
    });
    expect(second.body.error.message).toContain(first.label);
    // Another queue is another line.
    expectStatus(await book(h, co, user.token, {}, co.secondQueueId), 201);
    expectStatus(await h.call('PUT', `/v2/user/tickets/${first.ticketId}/cancel`, { key: co.bookingKey, token: user.token }), 200);
    expectStatus(await book(h, co, user.token), 201);
  });

  it('lets a phone number or an e-mail address hold one open ticket, without naming its id to another user', async () => {
    const co = await setUpCompany(h, 'OneContact', {}, { fairUseDefaults: true });
    const first = expectStatus(
      await book(h, co, (await createUser(h, co)).token, { userData: { phone: '+33612345678', mail: 'ann@example.com' } }),
      201,
    );
    const byPhone = await book(h, co, (await createUser(h, co)).token, { userData: { phone: '+33612345678' } });
    expect(byPhone.status).toBe(409);
    expect(byPhone.body.error.details).toEqual({ field: 'userData.phone', limit: 1, label: first.label });
    const byMail = await book(h, co, (await createUser(h, co)).token, { userData: { mail: 'ann@example.com' } });
    expect(byMail.body.error.details).toEqual({ field: 'userData.mail', limit: 1, label: first.label });
    expectStatus(await book(h, co, (await createUser(h, co)).token, { userData: { phone: '+33612345679' } }), 201);
  });

  it('lets only one of ten concurrent bookings of one user through', async () => {
    const co = await setUpCompany(h, 'Racing', {}, { fairUseDefaults: true });
    const user = await createUser(h, co);
    const replies = await Promise.all(Array.from({ length: 10 }, () => book(h, co, user.token)));
    expect(replies.filter((r) => r.status === 201)).toHaveLength(1);
    expect(replies.filter((r) => r.status === 409 && r.body.error.code === 'TOO_MANY_OPEN_TICKETS')).toHaveLength(9);
    const open = await h.db.selectFrom('tickets').select('id').where('queue_id', '=', co.queueId).execute();
    expect(open).toHaveLength(1);
  });

  it('spends a budget of bookings per client address per hour, then answers 429 with Retry-After', async () => {
    const co = await setUpCompany(h, 'Budget', { bookingsPerAddressPerHour: 3 }, { fairUseDefaults: true });
    for (let i = 0; i < 3; i++) expectStatus(await book(h, co, (await createUser(h, co)).token), 201);
    const over = await book(h, co, (await createUser(h, co)).token);
    expect([over.status, over.body.error.code]).toEqual([429, 'RATE_LIMITED']);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    // The other queue has its own budget; the next hour a new one.
    expectStatus(await book(h, co, (await createUser(h, co)).token, {}, co.secondQueueId), 201);
    h.clock.advance(3_600_000);
    expectStatus(await book(h, co, (await createUser(h, co)).token), 201);
  });

  it('spends a budget per booking key when the queue sets one', async () => {
    const co = await setUpCompany(h, 'KeyBudget', { bookingsPerKeyPerHour: 2 }, { fairUseDefaults: true });
    for (let i = 0; i < 2; i++) expectStatus(await book(h, co, (await createUser(h, co)).token), 201);
    expect((await book(h, co, (await createUser(h, co)).token)).status).toBe(429);
  });

  it('does not limit a company backend booking with its server key', async () => {
    const co = await setUpCompany(h, 'Backend', { bookingsPerAddressPerHour: 1 }, { fairUseDefaults: true });
    for (let i = 0; i < 3; i++) {
      const reply = await h.call('POST', `/v2/queues/${co.queueId}/ticket`, {
        key: co.serverKey,
        body: { userData: { phone: '+33612345678' } },
      });
      expectStatus(reply, 201);
    }
  });

  it('keeps the limits in the queue settings, where an admin can lift them', async () => {
    const co = await setUpCompany(h, 'Lifted', {}, { fairUseDefaults: true });
    const queue = expectStatus(await h.admin('GET', `/admin/queues/${co.queueId}`), 200);
    expect(queue.settings).toMatchObject({
      maxOpenTicketsPerUser: 1,
      maxOpenTicketsPerContact: 1,
      bookingsPerAddressPerHour: 30,
      bookingsPerKeyPerHour: null,
    });
    expectStatus(await h.admin('PATCH', `/admin/queues/${co.queueId}`, { settings: { maxOpenTicketsPerUser: 2 } }), 200);
    const user = await createUser(h, co);
    expectStatus(await book(h, co, user.token), 201);
    expectStatus(await book(h, co, user.token), 201);
    expect((await book(h, co, user.token)).body.error.details).toMatchObject({ limit: 2 });
    expect((await h.admin('PATCH', `/admin/queues/${co.queueId}`, { settings: { maxOpenTicketsPerUser: 0 } })).status).toBe(400);
  });
});
