/**
 * The queue service delivering to a real push server whose clock is ahead of its own
 * (docs/design.md §Delivery): the deadline travels as time left after the signed timestamp, so a
 * minute of skew costs nothing; skew past the signature window shows on the destination's health;
 * a push server that finds the deadline already past on arrival makes the message expired.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { startFakePushProviders, type FakePushProviders } from '../../../src/fakes/push-providers.js';
import { Dispatcher } from '../../../src/queue-service/dispatch/dispatcher.js';
import { describeEachEngine } from '../../support/engines.js';
import {
  allDelivered,
  createAppOnFakes,
  registerDevice,
  startTestPushServer,
  waitForPushes,
  type TestPushServer,
} from '../../push-server/support.js';
import { setUpCompany, type TestCompany } from '../support/company.js';
import { expectStatus, QueueHarness } from '../support/harness.js';
import { TEST_DISPATCH } from './support/delivery.js';

/** Short enough that a push server judging it on its own clock, one minute ahead, would find it expired. */
const BOOKED_DEADLINE_SECONDS = 30;

describeEachEngine('delivery to a push server whose clock is skewed', (engine) => {
  let fakes: FakePushProviders;
  let push: TestPushServer;
  let h: QueueHarness;
  let company: TestCompany;
  let dispatcher: Dispatcher;
  let pushId: string;
  let destinationId: string;
  const logs: string[] = [];

  beforeAll(async () => {
    fakes = await startFakePushProviders();
    push = await startTestPushServer(engine);
    push.startWorker();
    const app = await createAppOnFakes(push, fakes);
    ({ pushId } = await registerDevice(push, app, { provider: 'fcm', token: 'fcm-skew-1' }));

    h = await QueueHarness.start(engine, { QUEUEBELL_ALLOW_PRIVATE_WEBHOOKS: '1' });
    company = await setUpCompany(h, 'Skew', { deliverBySeconds: { TICKET_BOOKED: BOOKED_DEADLINE_SECONDS } });
    expectStatus(await h.admin('PATCH', `/admin/webhooks/${company.webhookId}`, { enabled: false }), 200);
    const url = `${push.base}/v1/apps/${app.appId}/messages`;
    destinationId = expectStatus(
      await h.admin('POST', `/admin/companies/${company.companyId}/webhooks`, { url, secret: app.secret }),
      201,
    ).id;
    const logger = pino(
      { level: 'warn' },
      new Writable({
        write(chunk, _encoding, done) {
          logs.push(String(chunk));
          done();
        },
      }),
    );
    dispatcher = new Dispatcher({ ...h.deps, logger }, TEST_DISPATCH);
  });
  afterAll(async () => {
    await dispatcher.stop();
    await h.close();
    await push.close();
    await fakes.close();
  });
  beforeEach(() => {
    h.clock.set(Date.now());
    push.clock.offset = 0;
  });

  async function bookAndDeliver(): Promise<any> {
    const user = expectStatus(await h.call('POST', '/v2/users', { key: company.bookingKey }), 201);
    const ticket = expectStatus(
      await h.call('POST', `/v2/queues/${company.queueId}/ticket`, {
        key: company.bookingKey,
        token: user.jwtToken,
        body: { pushId, sendClientPush: true },
      }),
      201,
    );
    return ticket;
  }

  async function messageOf(ticketId: string): Promise<any> {
    const [message] = expectStatus(await h.admin('GET', `/admin/messages?ticketId=${ticketId}`), 200).messages;
    return expectStatus(await h.admin('GET', `/admin/messages/${message.id}`), 200);
  }

  it('pushes before its deadline when the push server is a minute ahead', async () => {
    push.clock.offset = 60_000;
    const ticket = await bookAndDeliver();
    await dispatcher.drain();
    expect(await messageOf(ticket.ticketId)).toMatchObject({ status: 'delivered' });
    const results = await waitForPushes(push, pushId, (pushes) => pushes.some((p) => p.status === 'delivered'));
    const [stored] = results.messages;
    expect(stored.status).toBe('accepted');
    // Judged on elapsed time: the deadline is about 30 s after arrival by the push server's own clock.
    const left = Date.parse(stored.deliverBy) - Date.parse(stored.receivedAt);
    expect(left).toBeGreaterThan((BOOKED_DEADLINE_SECONDS - 6) * 1000);
    expect(left).toBeLessThanOrEqual(BOOKED_DEADLINE_SECONDS * 1000);
    expect(allDelivered(1)(results.messages[0].pushes)).toBe(true);
  });

  it('records a message the push server finds expired on arrival as expired, not delivered', async () => {
    const ticket = await bookAndDeliver();
    // Due 3 to 4 s before its deadline, reaching a push server 10 s ahead: less time left than the way took.
    h.clock.advance((BOOKED_DEADLINE_SECONDS - 3) * 1000);
    push.clock.offset = h.clock.now() - Date.now() + 10_000;
    await dispatcher.drain();
    const message = await messageOf(ticket.ticketId);
    expect(message).toMatchObject({ status: 'expired' });
    expect(message.lastError).toContain('expired on arrival');
    expect(message.attempts[0]).toMatchObject({ statusCode: 202, outcome: 'expired_on_arrival' });
  });

  it("shows a push server ten minutes ahead as clock skew on the destination's health, logged once", async () => {
    push.clock.offset = 600_000;
    const first = await bookAndDeliver();
    await dispatcher.drain();
    const message = await messageOf(first.ticketId);
    expect(message.status).toBe('pending');
    expect(message.attempts[0]).toMatchObject({ statusCode: 401, outcome: 'retry_later:clock_skew' });
    const second = await bookAndDeliver();
    await dispatcher.drain();
    expect((await messageOf(second.ticketId)).attempts[0].outcome).toBe('retry_later:clock_skew');

    const health = expectStatus(await h.admin('GET', `/admin/companies/${company.companyId}/delivery-health`), 200);
    const destination = JSON.stringify(health);
    expect(destination).toContain(destinationId);
    expect(destination).toMatch(/clock skew: the receiver's clock is 6\d\d s ahead of ours \(401 STALE_TIMESTAMP\)/);
    expect(logs.filter((line) => line.includes('clockOffsetMs'))).toHaveLength(1);
  });
});
