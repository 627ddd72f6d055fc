/**
 * What the HTTP edge refuses before anything reaches storage (docs/design.md §Errors): strings
 * PostgreSQL cannot hold, URLs that do not decode, over-long path segments. Each refusal is a 400
 * in the one error shape that names the field and does not quote the input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Type } from 'typebox';
import pino from 'pino';
import { createHttpServer, createMetricsRegistry, type HttpServer } from '../../src/platform/http/server.js';
import { unstorableField } from '../../src/platform/http/storable-text.js';
import { describeEachEngine } from '../support/engines.js';
import { QueueHarness } from '../queue-service/support/harness.js';
import { book, createUser, setUpCompany, type TestCompany } from '../queue-service/support/company.js';
import { messageBody, startTestPushServer, type TestPushServer } from '../push-server/support.js';

describe('unstorableField', () => {
  it('finds NUL and unpaired surrogates in values and keys, and lets paired surrogates pass', () => {
    expect(unstorableField({ a: ['ok', 'b\u0000'] }, 'body')).toBe('body.a.1');
    expect(unstorableField({ a: '\uD800x' }, 'body')).toBe('body.a');
    expect(unstorableField({ a: 'x\uDC00' }, 'body')).toBe('body.a');
    expect(unstorableField({ 'k\u0000': 1 }, 'body')).toBe('body.k?');
    expect(unstorableField({ a: 'emoji \uD83D\uDE00 ok', n: 1, z: null }, 'body')).toBeNull();
  });
});

describe('the HTTP edge', () => {
  let app: HttpServer;
  let base: string;
  beforeAll(async () => {
    app = await createHttpServer({ title: 't', description: 'd', logger: pino({ level: 'silent' }), metrics: createMetricsRegistry('t') });
    app.post('/things', { schema: { body: Type.Object({ name: Type.String() }) } }, async (request) => request.body);
    app.get('/things/:id', async (request) => ({ query: request.query, params: request.params }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  });
  afterAll(() => app.close());

  const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('refuses a NUL in a body string with 400 naming the field', async () => {
    const res = await fetch(`${base}/things`, json({ name: 'a\u0000' }));
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.details).toEqual([{ field: 'body.name', problem: expect.stringContaining('NUL') }]);
  });

  it('refuses an unpaired surrogate sent as a JSON escape', async () => {
    const res = await fetch(`${base}/things`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name":"\\ud800"}',
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error.details[0].field).toBe('body.name');
  });

  it('refuses a NUL in a path parameter and in a query string', async () => {
    const inPath = await fetch(`${base}/things/a%00b`);
    expect(inPath.status).toBe(400);
    expect((await inPath.json()).error.details[0].field).toBe('params.id');
    const inQuery = await fetch(`${base}/things/x?q=a%00b`);
    expect(inQuery.status).toBe(400);
    expect((await inQuery.json()).error.details[0].field).toBe('query.q');
  });

  it('answers a URL that does not decode in the error shape, without quoting it', async () => {
    const res = await fetch(`${base}/things/%E0%A4%A`);
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(JSON.parse(text).error.code).toBe('VALIDATION_FAILED');
    expect(text).not.toContain('%E0');
    expect(text).not.toContain('FST_');
  });

  it('answers an over-long path parameter with 400 in the error shape, without quoting it', async () => {
    const long = 'x'.repeat(101);
    const res = await fetch(`${base}/things/${long}`);
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(JSON.parse(text).error.code).toBe('VALIDATION_FAILED');
    expect(text).not.toContain(long);
  });
});

describeEachEngine('NUL characters at the queue service', (engine) => {
  let h: QueueHarness;
  let company: TestCompany;
  beforeAll(async () => {
    h = await QueueHarness.start(engine);
    company = await setUpCompany(h);
  });
  afterAll(() => h.close());

  it('refuses a NUL in an operator login id without credentials', async () => {
    const res = await h.call('POST', `/v2/operator/endpoint/${company.endpointId}/login`, { body: { loginId: 'a\u0000', password: 'x' } });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].field).toBe('body.loginId');
  });

  it("refuses a NUL in a booking's user data", async () => {
    const { token } = await createUser(h, company);
    const res = await book(h, company, token, { userData: { name: 'Ann\u0000' } });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].field).toBe('body.userData.name');
  });

  it('refuses a NUL in a company name', async () => {
    const res = await h.admin('POST', '/admin/companies', { name: 'Acme\u0000' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
  });
});

describeEachEngine('NUL characters at the push server', (engine) => {
  let push: TestPushServer;
  beforeAll(async () => {
    push = await startTestPushServer(engine);
  });
  afterAll(() => push.close());

  it('refuses a NUL in a pushId without credentials', async () => {
    const res = await push.request('GET', '/v1/push-ids/a%00b');
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].field).toBe('params.pushId');
  });

  it('refuses a NUL in an app id asked for its VAPID key', async () => {
    const res = await push.request('GET', '/v1/apps/a%00b/vapid-public-key');
    expect(res.status).toBe(400);
  });

  it('refuses a NUL in the content of an ingested message', async () => {
    const app = await push.admin('POST', '/admin/apps', { name: 'nul' });
    const source = await push.admin('POST', `/admin/apps/${app.body.appId}/sources`, { name: 'legacy', mode: 'token' });
    const res = await push.request('POST', `/v1/apps/${app.body.appId}/messages`, {
      body: messageBody('pid_x', { content: 'called\u0000' }),
      token: source.body.secret,
      headers: { 'webhook-id': 'msg_nul_1' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].field).toBe('body.message.content');
  });
});
