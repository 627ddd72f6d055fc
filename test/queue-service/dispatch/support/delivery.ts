/**
 * A queue service with a dispatcher for in-process delivery tests: the real app on a fresh database,
 * a company whose only enabled destination is a TestReceiver, and a dispatcher driven by `drain()`
 * on the harness's manual clock — so retries, deadlines and breakers move when the test says.
 * The clock starts at the real time, because Standard Webhooks verifiers compare the signed
 * timestamp with their own clock.
 */
import type { Engine } from '../../../../src/platform/db/database.js';
import { Dispatcher, type DispatcherOptions } from '../../../../src/queue-service/dispatch/dispatcher.js';
import { QueueHarness, expectStatus } from '../../support/harness.js';
import { setUpCompany, type TestCompany } from '../../support/company.js';
import { TestReceiver } from './receiver.js';

export interface DeliverySetup {
  h: QueueHarness;
  company: TestCompany;
  receiver: TestReceiver;
  destination: { id: string; secret: string };
  dispatcher: Dispatcher;
  close(): Promise<void>;
}

/** Short network timeouts, no jitter (random = 0.5 lands exactly on the schedule). */
export const TEST_DISPATCH: Partial<DispatcherOptions> = {
  connectTimeoutMs: 1_000,
  responseTimeoutMs: 1_500,
  graceMs: 2_000,
  random: () => 0.5,
};

export async function startDelivery(
  engine: Engine,
  env: Record<string, string> = {},
  options: Partial<DispatcherOptions> = {},
): Promise<DeliverySetup> {
  const h = await QueueHarness.start(engine, { QUEUEBELL_ALLOW_PRIVATE_WEBHOOKS: '1', ...env });
  h.clock.set(Date.now());
  const company = await setUpCompany(h);
  // The company's stock destination points at a dead port; the tests bring their own receiver.
  expectStatus(await h.admin('PATCH', `/admin/webhooks/${company.webhookId}`, { enabled: false }), 200);
  const receiver = await TestReceiver.start();
  const created = expectStatus(await h.admin('POST', `/admin/companies/${company.companyId}/webhooks`, { url: receiver.url() }), 201);
  const dispatcher = new Dispatcher(h.deps, { ...TEST_DISPATCH, ...options });
  return {
    h,
    company,
    receiver,
    destination: { id: created.id, secret: created.secret },
    dispatcher,
    async close() {
      await dispatcher.stop();
      await receiver.close();
      await h.close();
    },
  };
}

/** Books a ticket that asks for push notifications; returns the ticket view. */
export async function bookWithPush(s: DeliverySetup, pushId = 'push-1', extra: Record<string, unknown> = {}) {
  const user = expectStatus(await s.h.call('POST', '/v2/users', { key: s.company.bookingKey }), 201);
  return expectStatus(
    await s.h.call('POST', `/v2/queues/${s.company.queueId}/ticket`, {
      key: s.company.bookingKey,
      token: user.jwtToken,
      body: { pushId, sendClientPush: true, ...extra },
    }),
    201,
  );
}

/** Moves a ticket at counter 1 with the company's operator key. */
export async function moveTicket(s: DeliverySetup, ticketId: string, state: number) {
  await openCounter(s);
  return expectStatus(
    await s.h.call('PUT', `/v2/endpoints/${s.company.endpointId}/tickets/${ticketId}/state`, {
      key: s.company.operatorKey,
      body: { state },
    }),
    200,
  );
}

let opened = new WeakSet<DeliverySetup>();
async function openCounter(s: DeliverySetup): Promise<void> {
  if (opened.has(s)) return;
  expectStatus(await s.h.call('PUT', `/v2/endpoints/${s.company.endpointId}`, { key: s.company.operatorKey, body: { isOpen: true } }), 200);
  opened.add(s);
}

export async function messagesOf(s: DeliverySetup, query: string): Promise<any[]> {
  return expectStatus(await s.h.admin('GET', `/admin/messages?${query}`), 200).messages;
}

export async function inspect(s: DeliverySetup, messageId: string): Promise<any> {
  return expectStatus(await s.h.admin('GET', `/admin/messages/${messageId}`), 200);
}

export function resetOpenedCounters(): void {
  opened = new WeakSet();
}
