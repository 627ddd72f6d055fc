import { afterAll, beforeAll, expect, it } from 'vitest';
import { BREAKER } from '../../../src/queue-service/dispatch/policy.js';
import { describeEachEngine } from '../../support/engines.js';
import { expectStatus } from '../support/harness.js';
import { setUpCompany } from '../support/company.js';
import { bookWithPush, messagesOf, startDelivery, type DeliverySetup } from './support/delivery.js';
import { ok } from './support/receiver.js';

const DAY = 86_400_000;

describeEachEngine('circuit breaker', (engine) => {
  let s: DeliverySetup;
  let dead: { id: string };
  beforeAll(async () => {
    s = await startDelivery(engine);
    dead = expectStatus(await s.h.admin('POST', `/admin/companies/${s.company.companyId}/webhooks`, { url: s.receiver.url('/dead') }), 201);
    s.receiver.behave((request) => (request.path === '/dead' ? { kind: 'hang' } : ok));
  });
  afterAll(() => s.close());

  const hits = (path: string) => s.receiver.requests.filter((r) => r.path === path).length;
  /** The breaker gauge of a route on /metrics, or null when the route has no line (closed). */
  const breakerOpen = async (route: string) => {
    const text = await (await fetch(`${s.h.url}/metrics`)).text();
    const line = new RegExp(`^queuebell_delivery_breaker_open\\{route="${route}"[^}]*\\} (\\S+)$`, 'm').exec(text);
    return line ? Number(line[1]) : null;
  };
  const bookMany = async (n: number) => Promise.all(Array.from({ length: n }, () => bookWithPush(s)));

  it('stops sending to a destination that keeps failing while the others get every message', async () => {
    await bookMany(6);
    await s.dispatcher.drain();
    expect(hits('/hook')).toBe(6);
    expect(hits('/dead')).toBe(6);
    // The breaker opened after five timeouts; new messages for the dead destination are not even claimed.
    await bookMany(10);
    await s.dispatcher.drain();
    expect(hits('/hook')).toBe(16);
    expect(hits('/dead')).toBe(6);
    const waiting = await messagesOf(s, `destinationId=${dead.id}&status=pending&limit=500`);
    expect(waiting).toHaveLength(16);
    // What an operator alerts on: the dead destination's breaker is open, the healthy one's is not.
    expect(await breakerOpen(dead.id)).toBe(1);
    expect(await breakerOpen(s.company.webhookId)).toBeNull();
  });

  it('sends one probe after the cooldown and waits twice as long when it fails', async () => {
    s.h.clock.advance(BREAKER.firstCooldownMs);
    await s.dispatcher.drain();
    expect(hits('/dead')).toBe(7);
    // The others claimed with the probe went back unsent, parked until the next probe in twice the cooldown.
    const waiting = await messagesOf(s, `destinationId=${dead.id}&status=pending&limit=500`);
    expect(waiting).toHaveLength(16);
    const nextProbe = new Date(s.h.clock.now() + 2 * BREAKER.firstCooldownMs).toISOString();
    expect(waiting.filter((m) => m.nextAttemptAt === nextProbe && m.lastError?.startsWith('circuit open'))).toHaveLength(15);
    s.h.clock.advance(BREAKER.firstCooldownMs);
    await s.dispatcher.drain();
    expect(hits('/dead')).toBe(7);
  });

  it('closes when a probe succeeds, and delivers what waited', async () => {
    s.receiver.behave(ok);
    s.h.clock.advance(BREAKER.firstCooldownMs);
    await s.dispatcher.drain();
    expect(await messagesOf(s, `destinationId=${dead.id}&status=pending`)).toEqual([]);
    expect(hits('/dead')).toBe(7 + 16);
    const destination = expectStatus(await s.h.admin('GET', `/admin/webhooks/${dead.id}`), 200);
    expect(destination).toMatchObject({ health: 'healthy', consecutiveFailures: 0, failingSince: null });
    expect(await breakerOpen(dead.id)).toBeNull();
  });
});

describeEachEngine('destination health', (engine) => {
  let s: DeliverySetup;
  let sick: { id: string };
  beforeAll(async () => {
    s = await startDelivery(engine, {}, { breaker: { ...BREAKER, failuresToOpen: 1_000 } });
    sick = expectStatus(await s.h.admin('POST', `/admin/companies/${s.company.companyId}/webhooks`, { url: s.receiver.url('/sick') }), 201);
    s.receiver.behave((request) => (request.path === '/sick' ? { kind: 'status', status: 500, body: 'down for maintenance' } : ok));
  });
  afterAll(() => s.close());

  const health = async (key?: string) =>
    expectStatus(
      await s.h.call(
        'GET',
        `/admin/companies/${s.company.companyId}/delivery-health`,
        key ? { key } : { token: 'test-admin-token-0123456789' },
      ),
      200,
    );

  it('shows a failing destination to the company, with why and what it holds up', async () => {
    const started = s.h.clock.now();
    await bookWithPush(s);
    await s.dispatcher.drain();
    // The company sees it with its own admin key, not only the operator of the service.
    const report = await health(s.company.adminKey);
    expect(report.needsAttention).toBe(true);
    expect(report.destinations.find((d: any) => d.id === sick.id)).toMatchObject({
      health: 'failing',
      failingSince: new Date(started).toISOString(),
      consecutiveFailures: 1,
      lastFailureReason: 'HTTP 500',
      waitingMessages: 1,
      enabled: true,
    });
    expect(report.destinations.find((d: any) => d.id === s.destination.id)).toMatchObject({ health: 'healthy', waitingMessages: 0 });
    const other = await setUpCompany(s.h, 'Other');
    const foreign = await s.h.call('GET', `/admin/companies/${s.company.companyId}/delivery-health`, { key: other.adminKey });
    expect(foreign.status).toBe(404);
  });

  it('does not disable a destination that failed many times but for less than five days', async () => {
    for (let i = 0; i < 25; i++) await bookWithPush(s);
    await s.dispatcher.drain();
    s.h.clock.advance(4 * DAY);
    await bookWithPush(s);
    await s.dispatcher.drain();
    const destination = expectStatus(await s.h.admin('GET', `/admin/webhooks/${sick.id}`), 200);
    expect(destination).toMatchObject({ enabled: true, health: 'failing' });
    expect(destination.consecutiveFailures).toBeGreaterThanOrEqual(20);
  });

  it('disables a destination failing for five days, says why, and fails what waits for it', async () => {
    s.h.clock.advance(DAY);
    s.receiver.behave((request) => (request.path === '/sick' ? { kind: 'reset' } : ok));
    const ticket = await bookWithPush(s);
    await s.dispatcher.drain();
    const destination = expectStatus(await s.h.admin('GET', `/admin/webhooks/${sick.id}`), 200);
    expect(destination).toMatchObject({ enabled: false, health: 'disabled', disabledAt: new Date(s.h.clock.now()).toISOString() });
    expect(destination.disabledReason).toContain('every delivery failed for 5 days or more');
    expect(destination.disabledReason).toContain('connection_reset');
    const [message] = await messagesOf(s, `ticketId=${ticket.ticketId}&destinationId=${sick.id}`);
    expect(message.status).toBe('failed');
    expect(message.lastError).toContain('the destination was disabled');
    const report = await health();
    expect(report.needsAttention).toBe(true);
    expect(report.destinations.find((d: any) => d.id === sick.id)).toMatchObject({ health: 'disabled', waitingMessages: 0 });
  });

  it('starts afresh when the company enables it again, and a success ends a failing streak', async () => {
    const enabled = expectStatus(await s.h.admin('PATCH', `/admin/webhooks/${sick.id}`, { enabled: true }), 200);
    expect(enabled).toMatchObject({
      health: 'healthy',
      failingSince: null,
      disabledAt: null,
      disabledReason: null,
      consecutiveFailures: 0,
    });
    s.receiver.behave((request) => (request.path === '/sick' ? { kind: 'status', status: 502 } : ok));
    await bookWithPush(s);
    await s.dispatcher.drain();
    expect(expectStatus(await s.h.admin('GET', `/admin/webhooks/${sick.id}`), 200).health).toBe('failing');
    s.receiver.behave(ok);
    s.h.clock.advance(1_000);
    await s.dispatcher.drain();
    const healed = expectStatus(await s.h.admin('GET', `/admin/webhooks/${sick.id}`), 200);
    expect(healed).toMatchObject({
      health: 'healthy',
      failingSince: null,
      consecutiveFailures: 0,
      lastSuccessAt: new Date(s.h.clock.now()).toISOString(),
    });
    expect((await health()).needsAttention).toBe(false);
  });
});
