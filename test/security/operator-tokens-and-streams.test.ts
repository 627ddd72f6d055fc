/**
 * Tokens that follow the account and streams that cannot pile up (docs/security.md §Tokens,
 * §Live streams): an operator token ends with a password, login or role change and with the
 * operator's deletion, on every request and on the streams it opened; open streams are capped per
 * user and per operator with a 429 in the error shape.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { streamHubOf } from '../../src/queue-service/app.js';
import { describeEachEngine } from '../support/engines.js';
import { QueueHarness, expectStatus } from '../queue-service/support/harness.js';
import { createUser, loginOperator, setUpCompany, type TestCompany } from '../queue-service/support/company.js';

describeEachEngine('operator tokens and stream limits', (engine) => {
  let h: QueueHarness;
  const open: AbortController[] = [];
  beforeAll(async () => {
    h = await QueueHarness.start(engine);
  });
  afterAll(async () => {
    for (const controller of open) controller.abort();
    await h.close();
  });

  const operatorId = async (co: TestCompany) => (await h.admin('GET', `/admin/companies/${co.companyId}/operators`)).body[0].id as string;
  const counter = (co: TestCompany, token: string) => h.call('GET', `/v2/endpoints/${co.endpointId}`, { token });

  /** Opens a stream; resolves with the status, and for a 200 a promise that settles when the server ends it. */
  async function stream(path: string, headers: Record<string, string>) {
    const controller = new AbortController();
    open.push(controller);
    const response = await fetch(h.url + path, { headers, signal: controller.signal });
    if (response.status !== 200) return { status: response.status, body: await response.json(), ended: null };
    const reader = response.body!.getReader();
    const ended = (async () => {
      for (;;) if ((await reader.read()).done) return true;
    })().catch(() => false);
    return { status: 200, body: null, ended };
  }

  it('ends operator tokens issued before a password, login or role change', async () => {
    const co = await setUpCompany(h, 'Rotations');
    const id = await operatorId(co);
    const changes: Array<Record<string, unknown>> = [
      { password: 'another long password' },
      { loginId: 'alice2' },
      { roles: { allowedStates: [200, 700], recall: false, manageCounter: true } },
    ];
    for (const change of changes) {
      const token = await loginOperator(h, co);
      expectStatus(await counter(co, token), 200);
      const changed = await h.admin('PATCH', `/admin/operators/${id}`, change);
      expect(changed.status, JSON.stringify(changed.body)).toBe(200);
      const refused = await counter(co, token);
      expect([refused.status, refused.body.error.code]).toEqual([401, 'UNAUTHENTICATED']);
      if (typeof change.password === 'string') co.operator.password = change.password;
      if (typeof change.loginId === 'string') co.operator.loginId = change.loginId;
    }
    // A rename changes nothing the token proves: it keeps working.
    const token = await loginOperator(h, co);
    expectStatus(await h.admin('PATCH', `/admin/operators/${id}`, { name: 'Alice B.' }), 200);
    expectStatus(await counter(co, token), 200);
  });

  it("ends an operator's token and its open streams when the operator is deleted", async () => {
    const co = await setUpCompany(h, 'Deleted');
    const token = await loginOperator(h, co);
    const watching = await stream(`/v2/queues/state/sse?queueIds=${co.queueId}`, { authorization: `Bearer ${token}` });
    expect(watching.status).toBe(200);
    expectStatus(await h.admin('DELETE', `/admin/operators/${await operatorId(co)}`), 204);
    expect((await counter(co, token)).status).toBe(401);
    streamHubOf(h.app)!.heartbeat();
    expect(await watching.ended).toBe(true);
    expect((await stream(`/v2/queues/state/sse?queueIds=${co.queueId}`, { authorization: `Bearer ${token}` })).status).toBe(401);
  });

  it('caps the open streams of one user and of one operator with a 429 in the error shape', async () => {
    const co = await setUpCompany(h, 'Streams');
    const user = await createUser(h, co);
    const userHeaders = { 'x-api-key': co.bookingKey, authorization: `Bearer ${user.token}` };
    for (let i = 0; i < 10; i++) expect((await stream('/v2/user/tickets/sse', userHeaders)).status).toBe(200);
    const over = await stream('/v2/user/tickets/sse', userHeaders);
    expect([over.status, over.body.error.code]).toEqual([429, 'RATE_LIMITED']);
    expect(over.body.error.message).toContain('user');

    const operator = { authorization: `Bearer ${await loginOperator(h, co)}` };
    for (let i = 0; i < 10; i++) expect((await stream(`/v2/queues/state/sse?queueIds=${co.queueId}`, operator)).status).toBe(200);
    const eleventh = await stream(`/v2/queues/state/sse?queueIds=${co.queueId}`, operator);
    expect([eleventh.status, eleventh.body.error.code]).toEqual([429, 'RATE_LIMITED']);
    // Closing one gives its place back.
    open.at(-2)!.abort();
    await expect.poll(async () => (await stream(`/v2/queues/state/sse?queueIds=${co.queueId}`, operator)).status).toBe(200);
  });
});
