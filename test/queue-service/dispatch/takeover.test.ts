/**
 * Takeover in seconds (docs/design.md §Workers): two worker processes on PostgreSQL, one SIGKILLed
 * while its sends wait on a slow receiver. Its liveness lock goes with its connection, so the other
 * worker takes over its leases at its next renewal rather than when they run out (30 s here): the
 * affected tickets' next messages leave within seconds, nothing is lost, nothing is sent twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/platform/clock.js';
import { enginesUnderTest } from '../../support/engines.js';
import { QueueHarness, expectStatus } from '../support/harness.js';
import { setUpCompany, type TestCompany } from '../support/company.js';
import { checkDeliveryProperties, waitUntilSettled } from './support/delivery-properties.js';
import { startServiceProcess, type ServiceProcess } from './support/processes.js';
import { TestReceiver } from './support/receiver.js';

const LEASE_MS = 30_000;
const DISPATCH = { leaseMs: LEASE_MS, pollIntervalMs: 250, connectTimeoutMs: 1_000, responseTimeoutMs: 20_000, graceMs: 1_000 };
const TICKETS = 8;
/** How long the receiver holds each BOOKED message: the sends in flight when the worker dies. */
const BOOKED_DELAY_MS = 8_000;

describe.skipIf(!enginesUnderTest().includes('postgres'))('takeover after a worker dies', () => {
  let h: QueueHarness;
  let company: TestCompany;
  let receiver: TestReceiver;
  const workers: ServiceProcess[] = [];
  beforeAll(async () => {
    h = await QueueHarness.start('postgres', {
      QUEUEBELL_RATE_LIMIT_KEY_PER_MINUTE: '10000000',
      QUEUEBELL_RATE_LIMIT_ADDRESS_PER_MINUTE: '10000000',
    });
    h.deps.clock = systemClock;
    company = await setUpCompany(h);
    receiver = await TestReceiver.start();
    expectStatus(await h.admin('PATCH', `/admin/webhooks/${company.webhookId}`, { enabled: false }), 200);
    expectStatus(await h.admin('POST', `/admin/companies/${company.companyId}/webhooks`, { url: receiver.url() }), 201);
    expectStatus(await h.call('PUT', `/v2/endpoints/${company.endpointId}`, { key: company.operatorKey, body: { isOpen: true } }), 200);
  });
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.kill()));
    await receiver.close();
    await h.close();
  });

  async function book(): Promise<string> {
    const user = expectStatus(await h.call('POST', '/v2/users', { key: company.bookingKey }), 201);
    const ticket = expectStatus(
      await h.call('POST', `/v2/queues/${company.queueId}/ticket`, {
        key: company.bookingKey,
        token: user.jwtToken,
        body: { pushId: `push-${Math.random().toString(36).slice(2)}`, sendClientPush: true },
      }),
      201,
    );
    return ticket.ticketId;
  }

  it("sends the next message of a killed worker's tickets within seconds, not after its lease", async () => {
    receiver.behave((request) =>
      request.body.includes('TICKET_BOOKED') ? { kind: 'slow', delayMs: BOOKED_DELAY_MS } : { kind: 'status', status: 200 },
    );
    workers.push(
      await startServiceProcess({ role: 'worker', databaseUrl: h.deps.config.databaseUrl, dispatch: DISPATCH }),
      await startServiceProcess({ role: 'worker', databaseUrl: h.deps.config.databaseUrl, dispatch: DISPATCH }),
    );
    const tickets: string[] = [];
    for (let i = 0; i < TICKETS; i++) tickets.push(await book());
    await receiver.waitFor(() => receiver.requests.length >= TICKETS, 'every BOOKED message on the wire', 10_000);

    // The victim is the process holding the most leases; its pid is part of its worker id.
    const leases = await h.db.selectFrom('messages').select(['ticket_id', 'lease_owner']).where('status', '=', 'delivering').execute();
    const holders = workers.map((worker) => leases.filter((l) => l.lease_owner?.includes(`_${worker.child.pid}_`)));
    const victim = holders[0]!.length >= holders[1]!.length ? 0 : 1;
    const affected = holders[victim]!.map((l) => l.ticket_id);
    expect(affected.length).toBeGreaterThan(0);

    // Each ticket's CALLED waits behind its BOOKED, which is on the wire.
    for (const ticketId of tickets) {
      expectStatus(
        await h.call('PUT', `/v2/endpoints/${company.endpointId}/tickets/${ticketId}/state`, {
          key: company.operatorKey,
          body: { state: 200 },
        }),
        200,
      );
    }
    const killedAt = Date.now();
    await workers[victim]!.kill();

    const calledAt = (ticketId: string) =>
      receiver.requests.find((r) => r.body.includes(ticketId) && r.body.includes('TICKET_CALLED'))?.receivedAt;
    await receiver.waitFor(() => affected.every((id) => calledAt(id) !== undefined), "the killed worker's tickets' CALLED", LEASE_MS);
    const delays = affected.map((id) => calledAt(id)! - killedAt).sort((a, b) => a - b);

    await waitUntilSettled(h.db, 20_000);
    const report = await checkDeliveryProperties(h.db, receiver, [killedAt]);
    console.log(
      `takeover: lease ${LEASE_MS} ms, ${affected.length} of ${TICKETS} tickets held by the killed worker; next message after ${delays.join(', ')} ms; ${JSON.stringify(report.byStatus)}, ${report.duplicates.length} duplicated ids`,
    );
    expect(delays.at(-1)!).toBeLessThan(10_000);
    expect(report.duplicates).toEqual([]);
    // Every ticket's CALLED was delivered; the killed worker's BOOKED messages arrived but their outcome died with it.
    expect(report.byStatus.delivered).toBeGreaterThanOrEqual(TICKETS + (TICKETS - affected.length));
  }, 60_000);
});
