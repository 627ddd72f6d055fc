/** A company set up through the admin API as a real integrator would: keys, a place, queues, counters, an operator. */
import { expectStatus, type QueueHarness } from './harness.js';

export interface TestCompany {
  companyId: string;
  bookingKey: string;
  serverKey: string;
  operatorKey: string;
  adminKey: string;
  placeId: string;
  queueId: string;
  secondQueueId: string;
  endpointId: string;
  secondEndpointId: string;
  operator: { loginId: string; password: string };
  webhookId: string;
}

/**
 * Most suites play many people with one user from one address; the fair-use limits
 * (test/security/fair-use.test.ts checks them at their defaults) would refuse their second booking.
 */
export const NO_FAIR_USE_LIMITS = { maxOpenTicketsPerUser: null, maxOpenTicketsPerContact: null, bookingsPerAddressPerHour: null };

export async function setUpCompany(
  h: QueueHarness,
  name = 'Acme',
  asked: Record<string, unknown> = {},
  options: { fairUseDefaults?: boolean } = {},
): Promise<TestCompany> {
  const queueSettings = options.fairUseDefaults ? asked : { ...NO_FAIR_USE_LIMITS, ...asked };
  const company = expectStatus(await h.admin('POST', '/admin/companies', { name }), 201);
  const key = async (scopes: string[]) =>
    expectStatus(await h.admin('POST', `/admin/companies/${company.id}/keys`, { scopes }), 201).key as string;
  const place = expectStatus(
    await h.admin('POST', `/admin/companies/${company.id}/places`, { name: `${name} Paris`, timeZone: 'Europe/Paris', lang: 'en_US' }),
    201,
  );
  // Without automatic alerts unless a test asks: they add messages that tests of other things would
  // have to count. The defaults are covered by notifications/lineberty-events.test.ts.
  const settings =
    'alertPositions' in queueSettings || 'alertThreshold' in queueSettings ? queueSettings : { alertPositions: [], ...queueSettings };
  const queue = expectStatus(
    await h.admin('POST', `/admin/places/${place.id}/queues`, { name: 'Accounts', labelPrefix: 'A', settings }),
    201,
  );
  const second = expectStatus(
    await h.admin('POST', `/admin/places/${place.id}/queues`, { name: 'Billing', labelPrefix: 'B', settings }),
    201,
  );
  const endpoint = expectStatus(
    await h.admin('POST', `/admin/places/${place.id}/endpoints`, {
      name: 'Counter 1',
      names: { fr_FR: 'Guichet 1' },
      queueIds: [queue.id, second.id],
    }),
    201,
  );
  const secondEndpoint = expectStatus(
    await h.admin('POST', `/admin/places/${place.id}/endpoints`, { name: 'Counter 2', queueIds: [queue.id] }),
    201,
  );
  const operator = { loginId: 'alice', password: 'correct horse battery' };
  expectStatus(await h.admin('POST', `/admin/companies/${company.id}/operators`, operator), 201);
  const webhook = expectStatus(await h.admin('POST', `/admin/companies/${company.id}/webhooks`, { url: 'http://127.0.0.1:9/push' }), 201);
  return {
    companyId: company.id,
    bookingKey: await key(['booking']),
    serverKey: await key(['server']),
    operatorKey: await key(['operator']),
    adminKey: await key(['admin']),
    placeId: place.id,
    queueId: queue.id,
    secondQueueId: second.id,
    endpointId: endpoint.id,
    secondEndpointId: secondEndpoint.id,
    operator,
    webhookId: webhook.id,
  };
}

export async function createUser(h: QueueHarness, company: TestCompany): Promise<{ userId: string; token: string }> {
  const user = expectStatus(await h.call('POST', '/v2/users', { key: company.bookingKey }), 201);
  return { userId: user.userId, token: user.jwtToken };
}

export async function book(
  h: QueueHarness,
  company: TestCompany,
  token: string,
  body: Record<string, unknown> = {},
  queueId = company.queueId,
) {
  return h.call('POST', `/v2/queues/${queueId}/ticket`, { key: company.bookingKey, token, body });
}

export async function loginOperator(h: QueueHarness, company: TestCompany, endpointId = company.endpointId): Promise<string> {
  return expectStatus(await h.call('POST', `/v2/operator/endpoint/${endpointId}/login`, { body: company.operator }), 200).token;
}

export async function openCounter(h: QueueHarness, token: string, endpointId: string): Promise<void> {
  expectStatus(await h.call('PUT', `/v2/endpoints/${endpointId}`, { token, body: { isOpen: true } }), 200);
}
