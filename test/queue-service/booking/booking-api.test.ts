import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachEngine } from '../../support/engines.js';
import { QueueHarness, expectStatus } from '../support/harness.js';
import { book, createUser, setUpCompany, type TestCompany } from '../support/company.js';

describeEachEngine('booking API', (engine) => {
  let h: QueueHarness;
  let acme: TestCompany;
  let globex: TestCompany;
  let user: { userId: string; token: string };
  beforeAll(async () => {
    h = await QueueHarness.start(engine);
    acme = await setUpCompany(h, 'Acme');
    globex = await setUpCompany(h, 'Globex');
    user = await createUser(h, acme);
  });
  afterAll(() => h.close());

  describe('places and queues', () => {
    it("lists the key's company places and queues, without admin settings", async () => {
      const places = expectStatus(await h.call('GET', `/v2/places?key=${acme.bookingKey}`), 200);
      expect(Object.keys(places)).toEqual([acme.placeId]);
      expect(places[acme.placeId]).toMatchObject({ placeId: acme.placeId, timezone: 'Europe/Paris', language: 'en_US' });
      const queues = expectStatus(await h.call('GET', `/v2/places/${acme.placeId}/queues`, { key: acme.bookingKey }), 200);
      expect(Object.values(queues).map((q: any) => q.name.en_US)).toEqual(['Accounts', 'Billing']);
      expect(queues[acme.queueId]).not.toHaveProperty('settings');
      expect(expectStatus(await h.call('GET', `/v2/queues/${acme.queueId}`, { key: acme.bookingKey }), 200).config.groupSizeLimit).toEqual({
        min: 1,
        max: 10,
      });
    });

    it("answers 404 for another company's place or queue", async () => {
      for (const path of [
        `/v2/places/${globex.placeId}`,
        `/v2/places/${globex.placeId}/queues`,
        `/v2/queues/${globex.queueId}`,
        `/v2/queues/${globex.queueId}/state`,
      ]) {
        const reply = await h.call('GET', path, { key: acme.bookingKey });
        expect(reply.status, path).toBe(404);
      }
      const { token } = await createUser(h, acme);
      expect((await book(h, acme, token, {}, globex.queueId)).status).toBe(404);
    });

    it('reports queue state: waiting people, open counters, booking open', async () => {
      const fresh = await setUpCompany(h, 'StateCo');
      const { token } = await createUser(h, fresh);
      expectStatus(await book(h, fresh, token, { groupSize: 3 }), 201);
      const state = expectStatus(await h.call('GET', `/v2/queues/${fresh.queueId}/state`, { key: fresh.bookingKey }), 200);
      expect(state).toMatchObject({
        bookingIsOpened: true,
        queueIsOpened: false,
        queueIsFull: false,
        waiting: { tickets: 1, people: 3 },
        openEndpoints: 0,
      });
    });
  });

  describe('users and keys', () => {
    it('needs a key, and the booking scope', async () => {
      expect((await h.call('POST', '/v2/users')).status).toBe(401);
      expect((await h.call('POST', '/v2/users', { key: 'qb_pub_nonsense' })).status).toBe(401);
      expect((await h.call('POST', '/v2/users', { key: acme.operatorKey })).status).toBe(403);
      expect((await h.call('POST', '/v2/users', { key: acme.serverKey })).status).toBe(201);
    });

    it("refuses a user token with another company's key, and a forged or expired token", async () => {
      expect((await h.call('GET', '/v2/user/tickets', { key: globex.bookingKey, token: user.token })).status).toBe(401);
      const [header, payload, signature] = user.token.split('.');
      const forgedPayload = Buffer.from(
        JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), sub: 'usr_someone_else' }),
      ).toString('base64url');
      expect(
        (await h.call('GET', '/v2/user/tickets', { key: acme.bookingKey, token: `${header}.${forgedPayload}.${signature}` })).status,
      ).toBe(401);
      expect((await h.call('GET', '/v2/user/tickets', { key: acme.bookingKey })).status).toBe(401);
      const { token } = await createUser(h, acme);
      h.clock.advance(31 * 86_400_000);
      expect((await h.call('GET', '/v2/user/tickets', { key: acme.bookingKey, token })).status).toBe(401);
      h.clock.advance(-31 * 86_400_000);
    });

    it('refreshes a token', async () => {
      const refreshed = expectStatus(await h.call('POST', '/v2/users/token', { key: acme.bookingKey, token: user.token }), 200);
      expect(refreshed.userId).toBe(user.userId);
      expect((await h.call('GET', '/v2/user/tickets', { key: acme.bookingKey, token: refreshed.jwtToken })).status).toBe(200);
    });
  });

  describe('booking a ticket', () => {
    it('gives labels in order, restarting each local day of the place', async () => {
      const co = await setUpCompany(h, 'LabelCo');
      const { token } = await createUser(h, co);
      h.clock.set('2026-03-02T22:50:00Z'); // 23:50 in Paris
      expect(expectStatus(await book(h, co, token), 201).label).toBe('A001');
      expect(expectStatus(await book(h, co, token), 201).label).toBe('A002');
      expect(expectStatus(await book(h, co, token, {}, co.secondQueueId), 201).label).toBe('B001');
      h.clock.set('2026-03-02T23:05:00Z'); // 00:05 the next day in Paris
      expect(expectStatus(await book(h, co, token), 201).label).toBe('A001');
      h.clock.set('2026-03-02T09:00:00Z');
    });

    it('needs a pushId for push, a phone for SMS and a mail for e-mail, naming the missing field', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ sendClientPush: true }, 'pushId'],
        [{ sendClientSms: true, userData: { name: 'A' } }, 'userData.phone'],
        [{ sendClientMail: true }, 'userData.mail'],
      ];
      for (const [body, field] of cases) {
        const reply = await book(h, acme, user.token, body);
        expect(reply.status).toBe(400);
        expect(reply.body.error).toMatchObject({ code: 'MISSING_FIELD', details: { field } });
        expect(reply.body.error.message).toContain(field);
      }
    });

    it('rejects a phone that is not E.164, a bad mail, wrong types and unknown fields', async () => {
      for (const body of [
        { userData: { phone: '0612345678' } },
        { userData: { mail: 'not-a-mail' } },
        { groupSize: '2' },
        { groupSize: 0 },
        { sendClientPush: 'yes' },
        { pushId: 'a b' },
        { favouriteColour: 'blue' },
        { bookedFor: 'tomorrow' },
        { lang: 'klingon' },
      ]) {
        const reply = await book(h, acme, user.token, body);
        expect(reply.status, JSON.stringify(body)).toBe(400);
        expect(reply.body.error.code).toBe('VALIDATION_FAILED');
      }
    });

    it("enforces the queue's group size and required contact details", async () => {
      const co = await setUpCompany(h, 'RulesCo', { maxGroupSize: 4, mailRequired: true });
      const { token } = await createUser(h, co);
      const tooBig = await book(h, co, token, { groupSize: 5, userData: { mail: 'a@b.fr' } });
      expect(tooBig.status).toBe(400);
      expect(tooBig.body.error.code).toBe('GROUP_SIZE_OUT_OF_RANGE');
      const noMail = await book(h, co, token, { groupSize: 2 });
      expect(noMail.body.error).toMatchObject({ code: 'MISSING_FIELD', details: { field: 'userData.mail' } });
      expect((await book(h, co, token, { groupSize: 4, userData: { mail: 'a@b.fr' } })).status).toBe(201);
    });

    it('refuses bookings when the queue is closed, full, or full for the day', async () => {
      const co = await setUpCompany(h, 'FullCo', { maxWaitingTickets: 2, maxTicketsPerDay: 3 });
      const { token } = await createUser(h, co);
      expectStatus(await book(h, co, token), 201);
      const second = expectStatus(await book(h, co, token), 201);
      const full = await book(h, co, token);
      expect(full.status).toBe(409);
      expect(full.body.error.code).toBe('QUEUE_FULL');
      expectStatus(await h.call('PUT', `/v2/user/tickets/${second.ticketId}/cancel`, { key: co.bookingKey, token }), 200);
      expectStatus(await book(h, co, token), 201);
      const fullForDay = await book(h, co, token);
      expect(fullForDay.body.error.message).toContain('today');
      expect(expectStatus(await h.call('GET', `/v2/queues/${co.queueId}/state`, { key: co.bookingKey }), 200)).toMatchObject({
        queueIsFullForTheDay: true,
        queueIsFullForFifo: true,
        bookingIsOpened: false,
      });
      expectStatus(await h.admin('PATCH', `/admin/queues/${co.secondQueueId}`, { settings: { bookingOpen: false } }), 200);
      expect((await book(h, co, token, {}, co.secondQueueId)).body.error.code).toBe('BOOKING_CLOSED');
    });

    it('lets a server key book without a user token, but not a booking key', async () => {
      const reply = await h.call('POST', `/v2/queues/${acme.queueId}/ticket`, {
        key: acme.serverKey,
        body: { userData: { name: 'Walk-in' } },
      });
      expect(reply.status).toBe(201);
      expect((await h.call('POST', `/v2/queues/${acme.queueId}/ticket`, { key: acme.bookingKey, body: {} })).status).toBe(403);
    });
  });

  describe("a user's tickets", () => {
    it("never shows or changes another user's ticket", async () => {
      const mine = expectStatus(await book(h, acme, user.token), 201);
      const other = await createUser(h, acme);
      const list = expectStatus(await h.call('GET', '/v2/user/tickets', { key: acme.bookingKey, token: other.token }), 200);
      expect(list.tickets).not.toHaveProperty(mine.ticketId);
      for (const [method, path] of [
        ['GET', ''],
        ['PUT', '/cancel'],
        ['PUT', '/notifications'],
      ] as const) {
        const reply = await h.call(method, `/v2/user/tickets/${mine.ticketId}${path}`, {
          key: acme.bookingKey,
          token: other.token,
          body: method === 'PUT' ? {} : undefined,
        });
        expect(reply.status, path).toBe(404);
      }
      expect(
        expectStatus(await h.call('GET', `/v2/user/tickets/${mine.ticketId}`, { key: acme.bookingKey, token: user.token }), 200).state,
      ).toBe(0);
    });

    it('cancels a ticket once; a second cancel is a 409', async () => {
      const ticket = expectStatus(await book(h, acme, user.token), 201);
      const canceled = expectStatus(
        await h.call('PUT', `/v2/user/tickets/${ticket.ticketId}/cancel`, { key: acme.bookingKey, token: user.token }),
        200,
      );
      expect(canceled).toMatchObject({ state: 600, ticketPosition: null });
      expect(canceled.timeline.canceledAt).toBe(new Date(h.clock.now()).toISOString());
      const again = await h.call('PUT', `/v2/user/tickets/${ticket.ticketId}/cancel`, { key: acme.bookingKey, token: user.token });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('INVALID_TRANSITION');
    });

    it('changes the subscription with a 200 and an empty body, checking the same rules', async () => {
      const ticket = expectStatus(await book(h, acme, user.token), 201);
      const path = `/v2/user/tickets/${ticket.ticketId}/notifications`;
      const bad = await h.call('PUT', path, { key: acme.bookingKey, token: user.token, body: { sendClientSms: true } });
      expect(bad.body.error).toMatchObject({ code: 'MISSING_FIELD', details: { field: 'userData.phone' } });
      const ok = await h.call('PUT', path, {
        key: acme.bookingKey,
        token: user.token,
        body: { sendClientSms: true, userData: { phone: '+33612345678' }, lang: 'fr_FR' },
      });
      expect(ok.status).toBe(200);
      expect(ok.text).toBe('');
      const after = expectStatus(
        await h.call('GET', `/v2/user/tickets/${ticket.ticketId}`, { key: acme.bookingKey, token: user.token }),
        200,
      );
      expect(after).toMatchObject({ language: 'fr_FR', userData: { phone: '+33612345678' }, notifications: { sendClientSms: true } });
    });

    it('reports position and people ahead in the queue', async () => {
      const co = await setUpCompany(h, 'PositionCo');
      const { token } = await createUser(h, co);
      expectStatus(await book(h, co, token, { groupSize: 2 }), 201);
      h.clock.advance(1000);
      expectStatus(await book(h, co, token, { groupSize: 3 }, co.secondQueueId), 201);
      h.clock.advance(1000);
      const third = expectStatus(await book(h, co, token, { groupSize: 1 }), 201);
      // Counter 1 serves both queues, so its line holds the Billing ticket too.
      expect(third.ticketPosition).toEqual({ queue: { tickets: 1, people: 2 }, endpoint: { tickets: 2, people: 5 } });
      expect(Date.parse(third.timeline.estimatedFor)).toBe(h.clock.now() + 5 * 5 * 60_000);
    });
  });

  describe('rate limits', () => {
    it('answers 429 with Retry-After once a client address exceeds its budget', async () => {
      const limited = await QueueHarness.start(engine, { QUEUEBELL_RATE_LIMIT_ADDRESS_PER_MINUTE: '5' });
      try {
        const co = await setUpCompany(limited, 'LimitCo');
        const statuses: number[] = [];
        for (let i = 0; i < 7; i++) statuses.push((await limited.call('GET', '/v2/places', { key: co.bookingKey })).status);
        expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
        const reply = await limited.call('GET', '/v2/places', { key: co.bookingKey });
        expect(reply.status).toBe(429);
        expect(reply.body.error.code).toBe('RATE_LIMITED');
        expect(Number(reply.headers.get('retry-after'))).toBeGreaterThan(0);
      } finally {
        await limited.close();
      }
    });
  });
});
