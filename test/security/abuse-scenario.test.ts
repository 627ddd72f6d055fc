/**
 * A hostile stranger with only the public booking key, over HTTP from one address, tries to flood
 * a queue and to make the company text 50 numbers (half of them abroad); a real person books from
 * another address meanwhile. Everything is at its defaults (docs/security.md): what got through
 * is counted and must stay within the limits, and the real person's booking succeeds.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../support/engines.js';
import { QueueHarness, expectStatus } from '../queue-service/support/harness.js';
import { book, createUser, setUpCompany } from '../queue-service/support/company.js';

/** A call from another loopback address, as a client elsewhere on the network would make it. */
function callFrom(localAddress: string, url: string, method: string, headers: Record<string, string>, body?: unknown) {
  return new Promise<{ status: number; body: any }>((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      url,
      { method, localAddress, headers: { ...headers, ...(payload ? { 'content-type': 'application/json' } : {}) } },
      (res) => {
        let text = '';
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

describeEachEngine('abuse scenario', (engine) => {
  let h: QueueHarness;
  beforeAll(async () => {
    h = await QueueHarness.start(engine);
  });
  afterAll(() => h.close());

  it('keeps a flooding, SMS-pumping client within the limits while a real person still books', async () => {
    const co = await setUpCompany(h, 'Target', {}, { fairUseDefaults: true });
    const attacker = '127.0.0.66';
    const call = (method: string, path: string, headers: Record<string, string>, body?: unknown) =>
      callFrom(attacker, h.url + path, method, { 'x-api-key': co.bookingKey, ...headers }, body);
    // 50 numbers: 25 in France (the company's country), 25 premium-rate or foreign.
    const numbers = Array.from({ length: 50 }, (_, i) =>
      i % 2 === 0 ? `+3361234${String(5000 + i).padStart(4, '0')}` : `+4490${String(10_000_000 + i)}`.slice(0, 13),
    );
    const statuses = new Map<number, number>();
    const count = (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1);
    // One user trying many tickets, then a fresh user per number.
    const first = (await call('POST', '/v2/users', {})).body.jwtToken as string;
    for (let i = 0; i < 10; i++)
      count((await call('POST', `/v2/queues/${co.queueId}/ticket`, { authorization: `Bearer ${first}` }, {})).status);
    for (const phone of numbers) {
      const token = (await call('POST', '/v2/users', {})).body.jwtToken as string;
      const body = { sendClientSms: true, userData: { phone, name: 'x' } };
      count((await call('POST', `/v2/queues/${co.queueId}/ticket`, { authorization: `Bearer ${token}` }, body)).status);
    }

    // The real person, from their own address, books with SMS and gets a ticket.
    const person = await createUser(h, co);
    const ticket = expectStatus(await book(h, co, person.token, { sendClientSms: true, userData: { phone: '+33698765432' } }), 201);
    expect(ticket.ticketPosition.queue.tickets).toBeLessThanOrEqual(31);

    const tickets = await h.db.selectFrom('tickets').select(['user_id', 'phone']).where('queue_id', '=', co.queueId).execute();
    const sms = await h.db
      .selectFrom('messages')
      .select(['recipient', 'status'])
      .where('channel', '=', 'sms')
      .where('company_id', '=', co.companyId)
      .execute();
    const attackerTickets = tickets.filter((t) => t.user_id !== person.userId);
    // Within the limits: 30 bookings an hour from one address, one open ticket per user; no SMS abroad.
    expect(attackerTickets.length).toBeLessThanOrEqual(30);
    expect(statuses.get(201) ?? 0).toBe(attackerTickets.length);
    expect(statuses.get(409)).toBe(9);
    // Foreign numbers refused up front (400) until the address's budget ran out (429 after that).
    expect(statuses.get(400) ?? 0).toBeGreaterThan(0);
    expect(statuses.get(429) ?? 0).toBeGreaterThan(0);
    expect([...statuses.keys()].sort()).toEqual([201, 400, 409, 429]);
    expect(sms.filter((m) => !m.recipient.startsWith('+33'))).toEqual([]);
    expect(sms.filter((m) => m.recipient !== '+33698765432').length).toBeLessThanOrEqual(25);
    expect(sms.find((m) => m.recipient === '+33698765432')).toMatchObject({ status: 'pending' });
  });
});
