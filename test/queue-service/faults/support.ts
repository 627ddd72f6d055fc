/**
 * What the fault tests share: a client that books as a well-behaved integrator would (a 503 is
 * tried again, anything else but the expected answer is a failure), a free port, waiting for ready.
 */
import { createServer } from 'node:net';
import { expect } from 'vitest';
import type { ApiClient, Reply } from '../support/api-client.js';
import type { TestCompany } from '../support/company.js';

export interface Booked {
  /** Tickets whose booking was answered 201. */
  ids: string[];
  /** Every 503 answered meanwhile (each was tried again). */
  refused: Reply[];
  /** Answers other than the expected one and 503, and requests that got no answer at all. */
  otherFailures: string[];
}

export interface BookingOptions {
  count: number;
  concurrency: number;
  /** Pause between two bookings of one client, in ms. */
  pauseMs?: number;
  /** How long one booking is retried before it counts as a failure. */
  giveUpMs?: number;
}

export async function bookWhileRetrying(api: ApiClient, company: TestCompany, options: BookingOptions): Promise<Booked> {
  const booked: Booked = { ids: [], refused: [], otherFailures: [] };
  const attempt = async <T>(step: () => Promise<Reply<T>>, expected: number): Promise<T | null> => {
    const giveUpAt = Date.now() + (options.giveUpMs ?? 30_000);
    for (;;) {
      const reply = await step().catch((error: Error) => {
        booked.otherFailures.push(`no answer: ${(error.cause as Error | undefined)?.message ?? error.message}`);
        return null;
      });
      if (!reply) return null;
      if (reply.status === expected) return reply.body;
      if (reply.status !== 503 || Date.now() > giveUpAt) {
        booked.otherFailures.push(`${reply.status} ${reply.text}`);
        return null;
      }
      booked.refused.push(reply);
      await sleep(50);
    }
  };
  let next = 0;
  const run = async () => {
    while (next < options.count && booked.otherFailures.length === 0) {
      next += 1;
      const user = await attempt(() => api.call('POST', '/v2/users', { key: company.bookingKey }), 201);
      if (!user) continue;
      const ticket = await attempt(
        () =>
          api.call('POST', `/v2/queues/${company.queueId}/ticket`, {
            key: company.bookingKey,
            token: user.jwtToken,
            body: { pushId: `push-${Math.random().toString(36).slice(2)}`, sendClientPush: true },
          }),
        201,
      );
      if (ticket) booked.ids.push(ticket.ticketId);
      await sleep(options.pauseMs ?? 0);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, run));
  return booked;
}

/** /readyz answers 200 within `timeoutMs` (the pool may first have to replace connections the database dropped). */
export async function expectReadyWithin(api: ApiClient, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  let last = await api.call('GET', '/readyz');
  while (last.status !== 200 && Date.now() < until) {
    await sleep(100);
    last = await api.call('GET', '/readyz');
  }
  expect(last.status, last.text).toBe(200);
}

/** Every acknowledged booking reached the receiver: its id is in some delivered body. */
export function expectEveryBookingDelivered(receiver: { delivered(): Array<{ body: string }> }, ids: string[]): void {
  const received = receiver
    .delivered()
    .map((request) => request.body)
    .join('\n');
  expect(
    ids.filter((id) => !received.includes(id)),
    'acknowledged bookings never delivered',
  ).toEqual([]);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
