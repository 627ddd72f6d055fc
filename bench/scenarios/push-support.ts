/** What the push scenarios share: the child processes, a realistic signed message, waiting for deliveries. */
import type { SteadyRequest } from '../lib/steady.js';
export { steadyLoad } from '../lib/steady.js';
import { signWebhook } from '../../src/contract/standard-webhooks.js';
import { startChild, type ChildOptions, type ChildServer } from '../lib/child.js';

export interface FakesInfo {
  apns: { baseUrl: string; keyP8: string; keyId: string; teamId: string; topic: string; ca: string };
  fcm: { baseUrl: string; serviceAccount: object };
  webpushBaseUrl: string;
}

export interface BenchApp {
  appId: string;
  sourceId: string;
  secret: string;
  vapidPublicKey: string;
  pushIds: string[];
}
export type Counts = { apns: number; fcm: number; webpush: number };

export const startFakes = (env: Record<string, string> = {}) =>
  startChild<FakesInfo>(new URL('../servers/push-fakes.ts', import.meta.url), env);
export const startPushServer = (env: Record<string, string> = {}, options: ChildOptions = {}) =>
  startChild<{ url: string }>(new URL('../servers/push-server.ts', import.meta.url), env, [], options);
export const startLoop = (kind: 'apns' | 'webpush') =>
  startChild<object>(new URL('../servers/push-loop.ts', import.meta.url), { PUSH_LOOP: kind });

/** A step ③ body the size the queue service sends: the whole ticket view rides in `data`. */
export function messageBody(pushId: string, ticketId: string, index: number): string {
  return JSON.stringify({
    pushId,
    message: {
      action: 'TICKET_CALLED',
      content: `Ticket A${index % 1000}, it's your turn: please go to counter 3.`,
      data: {
        id: ticketId,
        label: `A${index % 1000}`,
        state: 200,
        companyId: 'cmp_bench',
        placeId: 'plc_bench',
        queueId: 'que_bench',
        queueName: 'Main queue',
        lang: 'en_US',
        groupSize: 1,
        source: null,
        isAnAppointment: false,
        bookedFor: null,
        appointmentTypeId: null,
        userData: { name: null, phone: null, mail: null },
        notifications: { pushId, sendClientPush: true, sendClientSms: false, sendClientMail: false },
        endpoint: { id: 'end_bench', name: 'Counter 3' },
        recallCount: 0,
        ticketPosition: null,
        rating: null,
        timeline: {
          bookedAt: '2026-03-02T09:00:00Z',
          estimatedFor: null,
          toConfirmAt: null,
          alertedAt: null,
          calledAt: '2026-03-02T09:10:00Z',
          onHoldAt: null,
          noShowAt: null,
          inProgressAt: null,
          canceledAt: null,
          doneAt: null,
          updatedAt: '2026-03-02T09:10:00Z',
        },
      },
    },
  });
}

/** An autocannon setupRequest posting a freshly signed message per request, to pushIds in turn. */
export function signedRequests(app: BenchApp, onSend?: (ticketId: string) => void) {
  let n = 0;
  return (request: { headers: Record<string, string> }) => {
    const i = n++;
    const ticketId = `tkt_${process.pid}_${i}`;
    const body = messageBody(app.pushIds[i % app.pushIds.length]!, ticketId, i);
    const headers = signWebhook([app.secret], `msg_${process.pid}_${i}`, Math.floor(Date.now() / 1000), body);
    onSend?.(ticketId);
    return {
      ...request,
      method: 'POST',
      path: `/v1/apps/${app.appId}/messages`,
      headers: { ...request.headers, 'content-type': 'application/json', ...headers },
      body,
    };
  };
}

/** Polls the fakes until `provider` has received `total`; resolves with the moment it had (ms, performance clock). */
export async function waitForDeliveries(
  fakes: ChildServer<FakesInfo>,
  provider: keyof Counts,
  total: number,
  timeoutMs: number,
): Promise<number> {
  const until = performance.now() + timeoutMs;
  for (;;) {
    const counts = await fakes.request<Counts>({ type: 'stats' });
    if (counts[provider] >= total) return performance.now();
    if (performance.now() > until)
      throw new Error(`only ${counts[provider]} of ${total} ${provider} pushes arrived within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The job counts once `delivered` reaches `total` (the last results are written just after the provider answers), or after 10 s. */
export async function recordedJobs(server: ChildServer<{ url: string }>, total: number): Promise<Record<string, number>> {
  const until = performance.now() + 10_000;
  for (;;) {
    const jobs = await server.request<Record<string, number>>({ type: 'jobs' });
    if ((jobs.delivered ?? 0) >= total || performance.now() > until) return jobs;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The same signed messages as signedRequests, for steadyLoad. */
export function signedMessage(app: BenchApp, i: number): SteadyRequest & { ticketId: string } {
  const ticketId = `tkt_${process.pid}_s${i}`;
  const body = messageBody(app.pushIds[i % app.pushIds.length]!, ticketId, i);
  const headers = signWebhook([app.secret], `msg_${process.pid}_s${i}`, Math.floor(Date.now() / 1000), body);
  return { ticketId, path: `/v1/apps/${app.appId}/messages`, headers: { 'content-type': 'application/json', ...headers }, body };
}
