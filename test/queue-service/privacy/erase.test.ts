/**
 * Erasing personal data (docs/design.md §Retention): a person's request through DELETE /v2/user
 * or the admin route, and retention through purgeExpiredPersonalData (what `queuebell purge` and
 * the hourly timer run). Names, phones, e-mails, pushIds and message bodies go; tickets, states and
 * message statuses stay, so counts do not change.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { purgeExpiredPersonalData } from '../../../src/queue-service/privacy/erase.js';
import { describeEachEngine } from '../../support/engines.js';
import { setUpCompany, type TestCompany } from '../support/company.js';
import { QueueHarness, expectStatus } from '../support/harness.js';

const DAY = 86_400_000;

describeEachEngine('erasing personal data', (engine) => {
  let h: QueueHarness;
  let acme: TestCompany;

  beforeEach(async () => {
    h = await QueueHarness.start(engine);
    acme = await setUpCompany(h, 'Acme');
  });
  afterEach(() => h.close());

  async function bookAs(company: TestCompany, token?: string) {
    const user = token ? { jwtToken: token } : expectStatus(await h.call('POST', '/v2/users', { key: company.bookingKey }), 201);
    const ticket = expectStatus(
      await h.call('POST', `/v2/queues/${company.queueId}/ticket`, {
        key: company.bookingKey,
        token: user.jwtToken,
        body: {
          userData: { name: 'Ada Lovelace', phone: '+33612345678', mail: 'ada@example.com' },
          pushId: 'push-ada',
          sendClientPush: true,
        },
      }),
      201,
    );
    return { token: user.jwtToken as string, userId: (user.userId ?? null) as string | null, ticket };
  }

  const ticketRow = (id: string) => h.db.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const messagesOf = (ticketId: string) => h.db.selectFrom('messages').selectAll().where('ticket_id', '=', ticketId).execute();

  async function finish(company: TestCompany, ticketId: string) {
    expectStatus(await h.call('PUT', `/v2/endpoints/${company.endpointId}`, { key: company.operatorKey, body: { isOpen: true } }), 200);
    for (const state of [200, 700]) {
      expectStatus(
        await h.call('PUT', `/v2/endpoints/${company.endpointId}/tickets/${ticketId}/state`, { key: company.operatorKey, body: { state } }),
        200,
      );
    }
  }

  it('erases a person’s tickets and messages on their request; waiting messages are not sent; the tickets still count', async () => {
    const { token, ticket } = await bookAs(acme);
    const second = expectStatus(
      await h.call('POST', `/v2/queues/${acme.secondQueueId}/ticket`, {
        key: acme.bookingKey,
        token,
        body: { userData: { name: 'Ada' }, pushId: 'push-ada', sendClientPush: true },
      }),
      201,
    );
    const other = await bookAs(acme);
    const before = expectStatus(await h.call('GET', `/v2/queues/${acme.queueId}/state`, { key: acme.bookingKey }), 200);

    const erased = expectStatus(await h.call('DELETE', '/v2/user', { key: acme.bookingKey, token }), 200);
    expect(erased).toEqual({ tickets: 2, messages: 2 });

    const row = await ticketRow(ticket.ticketId);
    expect(row).toMatchObject({ name: null, phone: null, mail: null, push_id: null, send_push: 0, state: 0 });
    expect(row.personal_data_erased_at).not.toBeNull();
    for (const message of [...(await messagesOf(ticket.ticketId)), ...(await messagesOf(second.ticketId))]) {
      expect(message).toMatchObject({ status: 'expired', body: '{}', recipient: '' });
      expect(message.last_error).toMatch(/erased/);
    }
    // Someone else's ticket is untouched, and the queue still counts both tickets.
    expect(await ticketRow(other.ticket.ticketId)).toMatchObject({ name: 'Ada Lovelace', push_id: 'push-ada' });
    expect(expectStatus(await h.call('GET', `/v2/queues/${acme.queueId}/state`, { key: acme.bookingKey }), 200)).toEqual(before);
    // The ticket itself is still the person's to follow, without their data; erasing again finds nothing.
    const mine = expectStatus(await h.call('GET', `/v2/user/tickets/${ticket.ticketId}`, { key: acme.bookingKey, token }), 200);
    expect(mine.state).toBe(0);
    expect(expectStatus(await h.call('DELETE', '/v2/user', { key: acme.bookingKey, token }), 200)).toEqual({ tickets: 0, messages: 0 });
  });

  it('lets the admin erase a person of a company, and keeps a company admin key to its own company', async () => {
    const globex = await setUpCompany(h, 'Globex');
    const ada = await bookAs(acme);
    const userId = (await ticketRow(ada.ticket.ticketId)).user_id!;
    expect((await h.call('DELETE', `/admin/companies/${acme.companyId}/users/${userId}`, { key: globex.adminKey })).status).toBe(404);
    expect(await ticketRow(ada.ticket.ticketId)).toMatchObject({ name: 'Ada Lovelace' });
    expect(expectStatus(await h.admin('DELETE', `/admin/companies/${acme.companyId}/users/${userId}`), 200).tickets).toBe(1);
    expect(await ticketRow(ada.ticket.ticketId)).toMatchObject({ name: null, phone: null });
  });

  it('purges ended tickets and finished messages past their company’s retention, and nothing else', async () => {
    const globex = await setUpCompany(h, 'Globex');
    expect(expectStatus(await h.admin('PUT', `/admin/companies/${globex.companyId}/retention`, { days: 2 }), 200).retentionDays).toBe(2);
    const ended = await bookAs(acme);
    await finish(acme, ended.ticket.ticketId);
    const waiting = await bookAs(acme);
    const globexEnded = await bookAs(globex);
    await finish(globex, globexEnded.ticket.ticketId);
    // Messages towards the dead stock destination end as failed or stay pending: end them all, as a dispatcher would.
    await h.db.updateTable('messages').set({ status: 'delivered' }).execute();
    // What the push server reported about each: the device and the provider's id are the phone's.
    const receiptOf = (messageId: string) =>
      h.db.selectFrom('message_receipts').selectAll().where('message_id', '=', messageId).executeTakeFirstOrThrow();
    for (const message of [...(await messagesOf(ended.ticket.ticketId)), ...(await messagesOf(waiting.ticket.ticketId))]) {
      await h.db
        .insertInto('message_receipts')
        .values({
          id: `rcpt_${message.id}`,
          message_id: message.id,
          company_id: message.company_id,
          type: 'push.receipt',
          outcome: 'pushed',
          device_id: 'dev_ada',
          provider: 'apns',
          provider_message_id: 'apns-id-ada',
          reason: null,
          devices: 1,
          occurred_at: h.clock.now(),
          received_at: h.clock.now(),
        })
        .execute();
    }

    h.clock.advance(3 * DAY);
    // Acme keeps 30 days: nothing of it is due; Globex keeps 2.
    expect(await purgeExpiredPersonalData(h.deps)).toEqual({
      tickets: 1,
      messages: (await messagesOf(globexEnded.ticket.ticketId)).length,
    });
    expect(await ticketRow(globexEnded.ticket.ticketId)).toMatchObject({ name: null, state: 700 });
    expect(await ticketRow(ended.ticket.ticketId)).toMatchObject({ name: 'Ada Lovelace' });

    h.clock.advance(30 * DAY);
    const purged = await purgeExpiredPersonalData(h.deps);
    expect(purged.tickets).toBe(1);
    expect(await ticketRow(ended.ticket.ticketId)).toMatchObject({ name: null, phone: null, mail: null, push_id: null, state: 700 });
    for (const message of await messagesOf(ended.ticket.ticketId)) {
      expect(message).toMatchObject({ status: 'delivered', body: '{}', recipient: '' });
      expect(await receiptOf(message.id)).toMatchObject({
        outcome: 'pushed',
        provider: 'apns',
        device_id: null,
        provider_message_id: null,
      });
    }
    // A ticket still waiting keeps its data however old; its finished messages past retention are erased all the same.
    expect(await ticketRow(waiting.ticket.ticketId)).toMatchObject({ name: 'Ada Lovelace', push_id: 'push-ada' });
    expect((await messagesOf(waiting.ticket.ticketId))[0]).toMatchObject({ status: 'delivered', body: '{}' });
    expect(await receiptOf((await messagesOf(waiting.ticket.ticketId))[0]!.id)).toMatchObject({
      device_id: null,
      provider_message_id: null,
    });
    // Nothing is erased twice.
    expect(await purgeExpiredPersonalData(h.deps)).toEqual({ tickets: 0, messages: 0 });
  });

  it('refuses to replay a message whose body was erased', async () => {
    const { token, ticket } = await bookAs(acme);
    await h.db.updateTable('messages').set({ status: 'delivered' }).execute();
    expectStatus(await h.call('DELETE', '/v2/user', { key: acme.bookingKey, token }), 200);
    const [message] = await messagesOf(ticket.ticketId);
    const reply = await h.admin('POST', `/admin/messages/${message!.id}/replay`);
    expect(reply.status).toBeGreaterThanOrEqual(400);
    expect((await messagesOf(ticket.ticketId))[0]).toMatchObject({ status: 'delivered', body: '{}' });
  });
});
