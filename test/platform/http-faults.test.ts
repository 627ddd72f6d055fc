/**
 * The HTTP base facing faults outside the code (docs/design.md §Faults): a database outage is a
 * 503 STORAGE_UNAVAILABLE with Retry-After and one log line, a bug stays an opaque 500, and a
 * request that arrives while the server closes gets 503 SHUTTING_DOWN in the one error shape.
 */
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { markDatabaseOf } from '../../src/platform/db/faults.js';
import { createHttpServer, createMetricsRegistry, type HttpServer } from '../../src/platform/http/server.js';

const errorWith = (code: string, message = 'boom') => Object.assign(new Error(message), { code });

async function serve(lines: string[] = []): Promise<{ app: HttpServer; base: string; port: number }> {
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    }),
  );
  const app = await createHttpServer({ title: 't', description: 'd', logger, metrics: createMetricsRegistry('t') });
  app.get('/fails/:code', async (request) => {
    const { code } = request.params as { code: string };
    throw markDatabaseOf(errorWith(code, `engine says ${code}`), 'postgres postgres://db.example/queue');
  });
  app.get('/calls-out', async () => {
    throw errorWith('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:9');
  });
  app.get('/terminated', async () => {
    throw new Error('Connection terminated unexpectedly');
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  return { app, base: `http://127.0.0.1:${port}`, port };
}

let open: HttpServer | null = null;
afterEach(async () => {
  await open?.close();
  open = null;
});

describe('faults outside the code', () => {
  it.each([
    '57P01',
    '57P03',
    '53300',
    '08006',
    'ECONNREFUSED',
    'SQLITE_FULL',
    'SQLITE_IOERR_WRITE',
    'SQLITE_BUSY',
    'SQLITE_READONLY',
    'ENOSPC',
  ])('answers a database error %s with 503 STORAGE_UNAVAILABLE and Retry-After', async (code) => {
    const { app, base } = await serve();
    open = app;
    const response = await fetch(`${base}/fails/${code}`);
    expect(response.status).toBe(503);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await response.json()).toEqual({ error: { code: 'STORAGE_UNAVAILABLE', message: expect.any(String) } });
  });

  it('answers a connection pg reports without a code the same way', async () => {
    const { app, base } = await serve();
    open = app;
    const response = await fetch(`${base}/terminated`);
    expect(response.status).toBe(503);
    expect((await response.json()).error.code).toBe('STORAGE_UNAVAILABLE');
  });

  it('keeps an opaque 500 for an error that is not an outage (a constraint, a syntax error, a refused call to somewhere else)', async () => {
    const { app, base } = await serve();
    open = app;
    expect((await fetch(`${base}/calls-out`)).status).toBe(500);
    for (const code of ['23505', '42601', 'SQLITE_CONSTRAINT_UNIQUE']) {
      const response = await fetch(`${base}/fails/${code}`);
      expect(response.status).toBe(500);
      expect((await response.json()).error.code).toBe('INTERNAL');
    }
  });

  it('logs an outage once with the database and the code, without a stack, however many requests meet it', async () => {
    const lines: string[] = [];
    const { app, base } = await serve(lines);
    open = app;
    for (let i = 0; i < 20; i++) await fetch(`${base}/fails/57P01`);
    const outage = lines.map((line) => JSON.parse(line)).filter((entry) => entry.code === '57P01');
    expect(outage).toHaveLength(1);
    expect(outage[0]).toMatchObject({
      level: 50,
      database: 'postgres postgres://db.example/queue',
      code: '57P01',
      reason: 'engine says 57P01',
      route: 'GET /fails/:code',
    });
    expect(JSON.stringify(outage[0])).not.toContain('stack');
  });

  it('answers a request that arrives while the server closes with 503 SHUTTING_DOWN in the error shape', async () => {
    const { app, port } = await serve();
    // A connection with a request under way is not idle, so closing waits for it instead of cutting it.
    const socket = connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closed = app.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    const ended = new Promise((resolve) => socket.once('close', resolve));
    socket.write('\r\n');
    await ended;
    await closed;
    const [head, body] = Buffer.concat(chunks).toString().split('\r\n\r\n') as [string, string];
    expect(head).toMatch(/^HTTP\/1\.1 503 /);
    expect(head.toLowerCase()).toContain('retry-after: ');
    expect(JSON.parse(body)).toEqual({ error: { code: 'SHUTTING_DOWN', message: expect.any(String) } });
  });
});
