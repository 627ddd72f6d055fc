/**
 * The HTTP/2 session pool's admission (providers/http2-sessions.ts): bodies sent and not yet
 * answered stay within half the connection's flow-control window, and requests beyond that wait
 * their turn in the order they came. A real node:http2 server over a socket holds every answer until
 * the test lets go, so what reached it while held is exactly what the client let through.
 */
import http2, { type Http2Server, type ServerHttp2Stream } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { Http2Sessions } from '../../../src/push-server/providers/http2-sessions.js';

const BODY_BYTES = 446;

let server: Http2Server;
let origin: string;
/** Bodies received, in order of arrival, with their streams held unanswered. */
let arrived: { body: string; stream: ServerHttp2Stream }[];
let sessions: Http2Sessions;

beforeEach(async () => {
  arrived = [];
  server = http2.createServer({ settings: { maxConcurrentStreams: 1000 } });
  server.on('stream', (stream) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => arrived.push({ body: Buffer.concat(chunks).toString(), stream }));
    stream.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  sessions = new Http2Sessions({ requestTimeoutMs: 10_000, pingIntervalMs: 60_000 });
});

afterEach(async () => {
  await sessions.closeAll();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const bodyOf = (i: number) => `${String(i).padStart(6, '0')}${'x'.repeat(BODY_BYTES - 6)}`;
const answer = (stream: ServerHttp2Stream) => {
  stream.respond({ ':status': 200 });
  stream.end();
};
const settle = async (until: () => boolean) => {
  const by = Date.now() + 5_000;
  while (!until() && Date.now() < by) await new Promise((resolve) => setTimeout(resolve, 20));
};

it('keeps unanswered bodies within half the connection window and admits the rest first come, first served', async () => {
  const total = 1000;
  const perHalfWindow = Math.floor(65_535 / 2 / BODY_BYTES);
  const requests = Array.from({ length: total }, (_, i) =>
    sessions.request('app', origin, null, { ':method': 'POST', ':path': `/push/${i}` }, bodyOf(i)),
  );
  await settle(() => arrived.length >= perHalfWindow);
  // Give the client every chance to send more than it should.
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(arrived).toHaveLength(perHalfWindow);

  // Answering each held stream lets the next in line through, in the order they were asked.
  let answered = 0;
  while (answered < total) {
    await settle(() => arrived.length > answered);
    expect(arrived.length).toBeGreaterThan(answered);
    for (const { stream } of arrived.slice(answered)) answer(stream);
    answered = arrived.length;
  }
  const responses = await Promise.all(requests);
  expect(responses.every((response) => response.status === 200)).toBe(true);
  expect(arrived.map(({ body }) => Number(body.slice(0, 6)))).toEqual(Array.from({ length: total }, (_, i) => i));
});

it('fails a request whose turn does not come within the request timeout, and lets the others go on', async () => {
  sessions = new Http2Sessions({ requestTimeoutMs: 500, pingIntervalMs: 60_000 });
  const big = 'y'.repeat(40_000);
  const first = sessions.request('app', origin, null, { ':method': 'POST', ':path': '/big' }, big);
  // The first body takes more than half the window alone: the second waits for its answer, which never comes.
  const second = sessions.request('app', origin, null, { ':method': 'POST', ':path': '/small' }, bodyOf(1));
  await expect(second).rejects.toThrow(/no room on the connection within 500 ms/);
  await expect(first).rejects.toThrow(/stream closed without a response/);
  // Both gone: the connection admits again.
  const third = sessions.request('app', origin, null, { ':method': 'POST', ':path': '/next' }, bodyOf(2));
  await settle(() => arrived.some(({ body }) => body === bodyOf(2)));
  answer(arrived.find(({ body }) => body === bodyOf(2))!.stream);
  expect((await third).status).toBe(200);
});
