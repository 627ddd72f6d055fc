import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeEachEngine } from '../../support/engines.js';
import { QueueHarness, expectStatus } from '../support/harness.js';
import { book, createUser, loginOperator, openCounter, setUpCompany } from '../support/company.js';

const MINUTE = 60_000;

describeEachEngine('message rows of ticket changes', (engine) => {
  let h: QueueHarness;
  beforeAll(async () => {
    h = await QueueHarness.start(engine);
  });
  afterAll(() => h.close());

  const messagesOf = async (ticketId: string) =>
    (expectStatus(await h.admin('GET', `/admin/messages?ticketId=${ticketId}`), 200).messages as any[]).reverse();

  it('writes one row per subscribed channel and destination, with the deadline of each action', async () => {
    const co = await setUpCompany(h, 'ChannelsCo');
    const onlyCalled = expectStatus(
      await h.admin('POST', `/admin/companies/${co.companyId}/webhooks`, { url: 'https://b.example/in', actions: ['TICKET_CALLED'] }),
      201,
    );
    expectStatus(await h.admin('POST', `/admin/companies/${co.companyId}/webhooks`, { url: 'https://c.example/in', enabled: false }), 201);
    const user = await createUser(h, co);
    const ticket = expectStatus(
      await book(h, co, user.token, {
        pushId: 'push-1',
        sendClientPush: true,
        sendClientSms: true,
        sendClientMail: true,
        userData: { name: 'Ana', phone: '+33612345678', mail: 'ana@example.fr' },
      }),
      201,
    );
    const operator = await loginOperator(h, co);
    await openCounter(h, operator, co.endpointId);
    expectStatus(await h.call('POST', `/v2/endpoints/${co.endpointId}/next`, { token: operator, body: { previousTicket: 'keep' } }), 200);

    const rows = await messagesOf(ticket.ticketId);
    const booked = rows.filter((m) => m.action === 'TICKET_BOOKED');
    const called = rows.filter((m) => m.action === 'TICKET_CALLED');
    // BOOKED: the catch-all webhook, SMS, e-mail; the CALLED-only and the disabled webhooks get nothing.
    expect(booked.map((m) => `${m.channel}:${m.destinationId ?? m.recipient}`).sort()).toEqual(
      ['email:ana@example.fr', 'sms:+33612345678', `webhook:${co.webhookId}`].sort(),
    );
    expect(
      called
        .map((m) => m.destinationId)
        .filter(Boolean)
        .sort(),
    ).toEqual([co.webhookId, onlyCalled.id].sort());
    const createdAt = (m: any) => Date.parse(m.createdAt);
    for (const m of booked) expect(Date.parse(m.deliverBy) - createdAt(m)).toBe(60 * MINUTE);
    for (const m of called) expect(Date.parse(m.deliverBy) - createdAt(m)).toBe(5 * MINUTE);

    const sms = booked.find((m) => m.channel === 'sms');
    expect(sms.body).toEqual({ to: '+33612345678', text: expect.stringContaining('Ticket A001') });
    const mail = called.find((m) => m.channel === 'email');
    expect(mail.body).toEqual({
      to: 'ana@example.fr',
      subject: "It's your turn",
      text: "Ticket A001, it's your turn: please go to Counter 1.",
    });
  });

  it('writes nothing for a ticket that subscribed to nothing, or to push without a destination', async () => {
    const co = await setUpCompany(h, 'QuietCo');
    expectStatus(await h.admin('DELETE', `/admin/webhooks/${co.webhookId}`), 204);
    const user = await createUser(h, co);
    const silent = expectStatus(await book(h, co, user.token), 201);
    const pushOnly = expectStatus(await book(h, co, user.token, { pushId: 'p', sendClientPush: true }), 201);
    expect(await messagesOf(silent.ticketId)).toEqual([]);
    expect(await messagesOf(pushOnly.ticketId)).toEqual([]);
  });

  it('writes texts in the ticket language, with the queue overrides and deadlines', async () => {
    const co = await setUpCompany(h, 'LangCo', {
      alertPositions: [2],
      deliverBySeconds: { TICKET_CALLED: 90 },
      templates: { TICKET_CALLED: { fr_FR: { text: '{label} : guichet {counter}, vite !' } } },
    });
    const user = await createUser(h, co);
    const fr = expectStatus(await book(h, co, user.token, { pushId: 'p-fr', sendClientPush: true, lang: 'fr' }), 201);
    const en = expectStatus(await book(h, co, user.token, { pushId: 'p-en', sendClientPush: true, lang: 'en_GB' }), 201);
    const operator = await loginOperator(h, co);
    await openCounter(h, operator, co.endpointId);
    expectStatus(await h.call('POST', `/v2/endpoints/${co.endpointId}/next`, { token: operator, body: { previousTicket: 'keep' } }), 200);
    expectStatus(await h.call('POST', `/v2/endpoints/${co.endpointId}/next`, { token: operator, body: { previousTicket: 'keep' } }), 200);

    // A001 was alerted at once when booked, with nobody ahead.
    const [frBooked, frAlerted, frCalled] = await messagesOf(fr.ticketId);
    expect(frAlerted.action).toBe('TICKET_ALERTED');
    expect(frBooked.body.message.content).toMatch(/^Ticket A001 pour Accounts réservé\. Personnes devant vous : 0, vers \d\d:\d\d\.$/);
    expect(frCalled.body.message.content).toBe('A001 : guichet Guichet 1, vite !');
    expect(Date.parse(frCalled.deliverBy) - Date.parse(frCalled.createdAt)).toBe(90_000);
    // A002 was alerted at once too (one person ahead), and not again when A001 was called: its CALLED message is the last one.
    const enMessages = await messagesOf(en.ticketId);
    expect(enMessages.map((m) => m.action)).toEqual(['TICKET_BOOKED', 'TICKET_ALERTED', 'TICKET_CALLED']);
    const enCalled = enMessages[2];
    expect(enCalled.body.message.content).toBe("Ticket A002, it's your turn: please go to Counter 1.");
  });

  it('carries in data the ticket exactly as the user sees it at that moment', async () => {
    const co = await setUpCompany(h, 'DataCo');
    const user = await createUser(h, co);
    const first = expectStatus(await book(h, co, user.token, { pushId: 'p1', sendClientPush: true, groupSize: 2 }), 201);
    const second = expectStatus(await book(h, co, user.token, { pushId: 'p2', sendClientPush: true }), 201);
    const [bookedMessage] = await messagesOf(second.ticketId);
    expect(bookedMessage.body).toEqual({ pushId: 'p2', message: { action: 'TICKET_BOOKED', content: expect.any(String), data: second } });
    expect(bookedMessage.body.message.data.ticketPosition.queue).toEqual({ tickets: 1, people: 2 });
    expect(first.ticketPosition.queue).toEqual({ tickets: 0, people: 0 });
    const row = await h.db
      .selectFrom('messages')
      .select(['body', 'ticket_version', 'status'])
      .where('id', '=', bookedMessage.id)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(row.body)).toEqual(bookedMessage.body);
    expect(row).toMatchObject({ ticket_version: 1, status: 'pending' });
  });

  it('lists by status and inspects one message; another company sees neither', async () => {
    const co = await setUpCompany(h, 'LogCo');
    const other = await setUpCompany(h, 'OtherLogCo');
    const user = await createUser(h, co);
    const ticket = expectStatus(await book(h, co, user.token, { pushId: 'p', sendClientPush: true }), 201);
    const [message] = await messagesOf(ticket.ticketId);
    const pending = expectStatus(await h.admin('GET', `/admin/messages?status=pending&ticketId=${ticket.ticketId}`), 200).messages;
    expect(pending.map((m: any) => m.id)).toEqual([message.id]);
    expect(expectStatus(await h.admin('GET', `/admin/messages?status=delivered&ticketId=${ticket.ticketId}`), 200).messages).toEqual([]);
    expect(expectStatus(await h.admin('GET', `/admin/messages/${message.id}`), 200)).toMatchObject({ id: message.id, attempts: [] });
    expect((await h.call('GET', `/admin/messages/${message.id}`, { key: co.adminKey })).status).toBe(200);
    expect((await h.call('GET', `/admin/messages/${message.id}`, { key: other.adminKey })).status).toBe(404);
    expect(expectStatus(await h.call('GET', `/admin/messages?ticketId=${ticket.ticketId}`, { key: other.adminKey }), 200).messages).toEqual(
      [],
    );
    expect((await h.admin('GET', '/admin/messages?status=lost')).status).toBe(400);
  });

  describe('atomicity', () => {
    it('leaves neither the state change nor any message when the transaction fails midway', async () => {
      const co = await setUpCompany(h, 'AtomicCo');
      const user = await createUser(h, co);
      const ticket = expectStatus(await book(h, co, user.token, { pushId: 'p', sendClientPush: true }), 201);
      const operator = await loginOperator(h, co);
      await openCounter(h, operator, co.endpointId);
      const eventsBefore = await h.db.selectFrom('ticket_events').select('id').where('ticket_id', '=', ticket.ticketId).execute();

      // A real failure inside the real database: the message insert, the last step of the change, is refused.
      await installFailingMessageInsert(h, engine);
      try {
        const reply = await h.call('POST', `/v2/endpoints/${co.endpointId}/next`, { token: operator, body: { previousTicket: 'keep' } });
        expect(reply.status).toBe(500);
        expect(reply.body.error.code).toBe('INTERNAL');
      } finally {
        await removeFailingMessageInsert(h, engine);
      }
      const after = expectStatus(
        await h.call('GET', `/v2/user/tickets/${ticket.ticketId}`, { key: co.bookingKey, token: user.token }),
        200,
      );
      expect(after).toMatchObject({ state: 0, endpoint: null, timeline: { calledAt: null } });
      expect((await messagesOf(ticket.ticketId)).map((m) => m.action)).toEqual(['TICKET_BOOKED']);
      expect(await h.db.selectFrom('ticket_events').select('id').where('ticket_id', '=', ticket.ticketId).execute()).toEqual(eventsBefore);

      // And once the fault is gone, the same call goes through.
      expect(
        expectStatus(
          await h.call('POST', `/v2/endpoints/${co.endpointId}/next`, { token: operator, body: { previousTicket: 'keep' } }),
          200,
        ).ticketId,
      ).toBe(ticket.ticketId);
    });
  });
});

async function installFailingMessageInsert(h: QueueHarness, engine: string): Promise<void> {
  if (engine === 'sqlite') {
    await sql`CREATE TRIGGER fail_messages BEFORE INSERT ON messages BEGIN SELECT RAISE(ABORT, 'injected failure'); END`.execute(h.db);
  } else {
    await sql`CREATE FUNCTION fail_messages() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$ LANGUAGE plpgsql`.execute(
      h.db,
    );
    await sql`CREATE TRIGGER fail_messages BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION fail_messages()`.execute(h.db);
  }
}

async function removeFailingMessageInsert(h: QueueHarness, engine: string): Promise<void> {
  if (engine === 'sqlite') {
    await sql`DROP TRIGGER fail_messages`.execute(h.db);
  } else {
    await sql`DROP TRIGGER fail_messages ON messages`.execute(h.db);
    await sql`DROP FUNCTION fail_messages()`.execute(h.db);
  }
}
