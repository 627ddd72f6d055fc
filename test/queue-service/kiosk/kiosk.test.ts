import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../support/engines.js';
import { QueueHarness, expectStatus } from '../support/harness.js';
import { loginOperator, setUpCompany, type TestCompany } from '../support/company.js';

describeEachEngine('kiosks and walk-ins', (engine) => {
  let h: QueueHarness;
  let co: TestCompany;
  let kioskKey: string;
  let kioskId: string;
  let elsewhereQueueId: string;
  const kiosk = (method: string, path: string, body?: unknown, key = kioskKey) =>
    h.call(method, path, { body, headers: key ? { 'x-kiosk-key': key } : {} });

  beforeAll(async () => {
    h = await QueueHarness.start(engine);
    co = await setUpCompany(h, 'KioskCo');
    const elsewhere = expectStatus(
      await h.admin('POST', `/admin/companies/${co.companyId}/places`, { name: 'Elsewhere', timeZone: 'Europe/Paris' }),
      201,
    );
    elsewhereQueueId = expectStatus(
      await h.admin('POST', `/admin/places/${elsewhere.id}/queues`, { name: 'Other', labelPrefix: 'O' }),
      201,
    ).id;
    const created = expectStatus(await h.admin('POST', `/admin/places/${co.placeId}/kiosks`, { name: 'Entrance' }), 201);
    kioskKey = created.key;
    kioskId = created.kiosk.kioskId;
    expect(created.kiosk).toMatchObject({ placeId: co.placeId, name: 'Entrance', revokedAt: null, keyPrefix: kioskKey.slice(0, 12) });
    expect(kioskKey).toMatch(/^qbk_[A-Za-z0-9_-]{32}$/);
  });
  afterAll(() => h.close());

  it("shows the kiosk its place's queues with their state, and lists kiosks without their keys", async () => {
    const home = expectStatus(await kiosk('GET', '/v2/kiosk'), 200);
    expect(home.place).toMatchObject({ placeId: co.placeId, timeZone: 'Europe/Paris' });
    expect(home.queues.map((queue: any) => queue.name)).toEqual(['Accounts', 'Billing']);
    expect(home.queues[0].state).toMatchObject({ queueId: co.queueId, bookingIsOpened: true, waiting: { tickets: 0, people: 0 } });
    const listed = expectStatus(await h.admin('GET', `/admin/places/${co.placeId}/kiosks`), 200);
    expect(listed).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toContain(kioskKey);
  });

  it('gives a walk-in a ticket that a phone follows with the token of its link', async () => {
    const walkIn = expectStatus(
      await kiosk('POST', '/v2/kiosk/tickets', {
        queueId: co.queueId,
        userData: { phone: '+33612345678' },
        sendClientSms: true,
        lang: 'fr_FR',
      }),
      201,
    );
    expect(walkIn.ticket).toMatchObject({ label: 'A001', state: 0, language: 'fr_FR' });
    expect(walkIn.followPath).toBe(`/?follow=${walkIn.ticket.ticketId}#token=${walkIn.userToken}`);
    // The token in the link is the walk-in's own: with the public booking key it reads that ticket and no other.
    const mine = expectStatus(await h.call('GET', '/v2/user/tickets', { key: co.bookingKey, token: walkIn.userToken }), 200);
    expect(JSON.stringify(mine)).toContain(walkIn.ticket.ticketId);
    const second = expectStatus(await kiosk('POST', '/v2/kiosk/tickets', { queueId: co.queueId }), 201);
    expect(second.userToken).not.toBe(walkIn.userToken);
    const theirs = expectStatus(await h.call('GET', '/v2/user/tickets', { key: co.bookingKey, token: second.userToken }), 200);
    expect(JSON.stringify(theirs)).not.toContain(walkIn.ticket.ticketId);
  });

  it('books in its own place only, and refuses what it cannot take in the error shape', async () => {
    const cases: Array<[unknown, number, string]> = [
      [{ queueId: elsewhereQueueId }, 404, 'QUEUE_NOT_FOUND'],
      [{ queueId: 'que_nothing' }, 404, 'QUEUE_NOT_FOUND'],
      [{ queueId: co.queueId, pushId: 'p' }, 400, 'VALIDATION_FAILED'],
      [{ queueId: co.queueId, userData: { phone: '0612' } }, 400, 'VALIDATION_FAILED'],
      [{ queueId: co.queueId, sendClientSms: true }, 400, 'MISSING_FIELD'],
      [{}, 400, 'VALIDATION_FAILED'],
    ];
    for (const [body, status, code] of cases) {
      const reply = await kiosk('POST', '/v2/kiosk/tickets', body);
      expect([reply.status, reply.body.error?.code], JSON.stringify(body)).toEqual([status, code]);
    }
  });

  it('needs its own key: not a company key, not another, not once revoked', async () => {
    for (const key of ['', co.bookingKey, 'qbk_nope']) {
      const reply = await kiosk('GET', '/v2/kiosk', undefined, key);
      expect([reply.status, reply.body.error.code], key).toEqual([401, 'UNAUTHENTICATED']);
    }
    const other = await setUpCompany(h, 'Stranger');
    const stranger = await h.call('POST', `/admin/places/${co.placeId}/kiosks`, { key: other.adminKey, body: { name: 'Mine now' } });
    expect([stranger.status, stranger.body.error.code]).toEqual([404, 'PLACE_NOT_FOUND']);
    const strangerRevoke = await h.call('DELETE', `/admin/kiosks/${kioskId}`, { key: other.adminKey });
    expect([strangerRevoke.status, strangerRevoke.body.error.code]).toEqual([404, 'KIOSK_NOT_FOUND']);

    const spare = expectStatus(await h.admin('POST', `/admin/places/${co.placeId}/kiosks`, { name: 'Spare' }), 201);
    expectStatus(await kiosk('GET', '/v2/kiosk', undefined, spare.key), 200);
    expect((await h.admin('DELETE', `/admin/kiosks/${spare.kiosk.kioskId}`)).status).toBe(204);
    const revoked = await kiosk('GET', '/v2/kiosk', undefined, spare.key);
    expect([revoked.status, revoked.body.error.code]).toEqual([401, 'UNAUTHENTICATED']);
    expectStatus(await kiosk('GET', '/v2/kiosk'), 200);
  });

  it('lets counter staff add a visitor to a queue the counter serves', async () => {
    const operator = await loginOperator(h, co, co.secondEndpointId);
    const added = expectStatus(
      await h.call('POST', `/v2/endpoints/${co.secondEndpointId}/walk-ins`, {
        token: operator,
        body: { queueId: co.queueId, userData: { name: 'Ada' } },
      }),
      201,
    );
    expect(added.ticket).toMatchObject({ state: 0, userData: { name: 'Ada' } });
    // Counter 2 serves Accounts only.
    const notServed = await h.call('POST', `/v2/endpoints/${co.secondEndpointId}/walk-ins`, {
      token: operator,
      body: { queueId: co.secondQueueId },
    });
    expect([notServed.status, notServed.body.error.code]).toEqual([404, 'QUEUE_NOT_FOUND']);
    const otherCounter = await h.call('POST', `/v2/endpoints/${co.endpointId}/walk-ins`, {
      token: operator,
      body: { queueId: co.queueId },
    });
    expect([otherCounter.status, otherCounter.body.error.code]).toEqual([403, 'FORBIDDEN']);
  });
});
