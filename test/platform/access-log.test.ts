/**
 * The access log (QUEUEBELL_ACCESS_LOG=1): a line per request answered with its status and time,
 * the client's address, and no credential from the URL; off, requests leave no line.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createHttpServer, createMetricsRegistry } from '../../src/platform/http/server.js';
import { createLogger } from '../../src/platform/logger.js';

async function serve(accessLog: boolean) {
  const lines: any[] = [];
  const logger = createLogger(
    'test',
    'info',
    new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    }),
  );
  const app = await createHttpServer({ title: 't', description: 'd', logger, metrics: createMetricsRegistry('t'), accessLog });
  app.get('/things', async () => ({ ok: true }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;
  expect((await fetch(`http://127.0.0.1:${port}/things?key=qb_pub_secret&x=1`)).status).toBe(200);
  await app.close();
  return lines;
}

describe('the access log', () => {
  it('writes what was asked, by whom, the status and the time, with credentials redacted', async () => {
    const lines = await serve(true);
    const incoming = lines.find((line) => line.msg === 'incoming request');
    const completed = lines.find((line) => line.msg === 'request completed');
    expect(incoming.req).toEqual({ method: 'GET', url: '/things?key=***&x=1', remoteAddress: '127.0.0.1' });
    expect(completed).toMatchObject({ res: { statusCode: 200 }, reqId: incoming.reqId });
    expect(completed.responseTime).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(lines)).not.toContain('qb_pub_secret');
  });

  it('writes nothing per request when off', async () => {
    expect((await serve(false)).filter((line) => /request/.test(line.msg))).toEqual([]);
  });
});
