import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Type } from 'typebox';
import pino from 'pino';
import { createHttpServer, createMetricsRegistry, type HttpServer } from '../../src/platform/http/server.js';
import { fail } from '../../src/contract/errors.js';

let app: HttpServer;
let base: string;

beforeAll(async () => {
  app = await createHttpServer({
    title: 't',
    description: 'd',
    logger: pino({ level: 'silent' }),
    metrics: createMetricsRegistry('t'),
    bodyLimit: 1024,
  });
  app.post(
    '/things',
    { schema: { body: Type.Object({ name: Type.String({ maxLength: 10 }), size: Type.Integer() }, { additionalProperties: false }) } },
    async (req) => ({ got: req.body.name }),
  );
  app.get('/things/:id', async () => fail('TICKET_NOT_FOUND'));
  app.get('/boom', async () => {
    throw new Error('secret internals');
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(() => app.close());

const post = (path: string, body: string, type = 'application/json') =>
  fetch(base + path, { method: 'POST', body, headers: { 'content-type': type } });

describe('the HTTP base', () => {
  it('names the missing field in a 400 with the error shape', async () => {
    const res = await post('/things', JSON.stringify({ size: 1 }));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED', message: 'Missing field: body.name.' } });
  });

  it('answers malformed JSON, wrong types, unknown fields and oversized bodies with 4xx', async () => {
    expect((await post('/things', '{"name":')).status).toBe(400);
    expect((await (await post('/things', '{"name":')).json()).error.code).toBe('MALFORMED_JSON');
    expect((await post('/things', JSON.stringify({ name: 'a', size: 'big' }))).status).toBe(400);
    // JSON bodies are not coerced: a string where a number belongs is an error, not a guess.
    expect((await post('/things', JSON.stringify({ name: 'a', size: '5' }))).status).toBe(400);
    expect((await post('/things', JSON.stringify({ name: 42, size: 5 }))).status).toBe(400);
    expect((await (await post('/things', JSON.stringify({ name: 'a', size: 1, admin: true }))).json()).error.message).toContain(
      'Unknown field',
    );
    const huge = await post('/things', JSON.stringify({ name: 'x'.repeat(5000), size: 1 }));
    expect(huge.status).toBe(413);
    expect((await huge.json()).error.code).toBe('PAYLOAD_TOO_LARGE');
    expect((await post('/things', 'name=a', 'application/x-www-form-urlencoded')).status).toBe(415);
  });

  it('answers a registered error with its status and code', async () => {
    const res = await fetch(`${base}/things/1`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'TICKET_NOT_FOUND', message: 'No ticket with this id.' } });
  });

  it('hides unexpected errors behind an opaque 500', async () => {
    const res = await fetch(`${base}/boom`);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain('secret internals');
    expect(JSON.parse(text).error.code).toBe('INTERNAL');
  });

  it('answers unknown routes in the error shape', async () => {
    const res = await fetch(`${base}/nope?x=1`);
    expect(res.status).toBe(404);
    expect((await res.json()).error).toEqual({ code: 'ROUTE_NOT_FOUND', message: 'No route GET /nope.' });
  });

  it('serves OpenAPI, health, readiness and metrics', async () => {
    const spec = await (await fetch(`${base}/openapi.json`)).json();
    expect(spec.openapi).toBe('3.0.3');
    expect(Object.keys(spec.paths)).toContain('/things');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect(await (await fetch(`${base}/metrics`)).text()).toContain('http_request_duration_seconds');
    expect((await fetch(`${base}/docs`)).status).toBeLessThan(400);
  });
});
