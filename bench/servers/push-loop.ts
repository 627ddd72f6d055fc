/**
 * The ceilings of the push benchmarks, in their own process like the push server: a bare request
 * loop to a fake provider with the same concurrency, headers and payload sizes, and none of the
 * push server's work (database, rendering, encryption). PUSH_LOOP=apns: HTTP/2 streams on one
 * session; PUSH_LOOP=webpush: one pre-encrypted body over keep-alive HTTP/1.1.
 */
import http from 'node:http';
import http2 from 'node:http2';
import webpush from 'web-push';
import { ApnsProviderTokens } from '../../src/push-server/providers/apns/credentials.js';

interface Run {
  type: 'run';
  count: number;
  concurrency: number;
  target: Record<string, any>;
}

process.on('message', async (message: Run) => {
  if (message.type !== 'run') return;
  const started = performance.now();
  const send = process.env.PUSH_LOOP === 'webpush' ? webPushSender(message.target) : apnsSender(message.target);
  await loop(message.count, message.concurrency, send.one);
  const seconds = (performance.now() - started) / 1000;
  send.close();
  process.send?.({ type: 'run', reply: { seconds, rps: message.count / seconds } });
});

/** Keeps `concurrency` requests in flight until `count` are answered. */
async function loop(count: number, concurrency: number, one: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < count) await one(next++);
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
}

function apnsSender(target: Record<string, any>) {
  const session = http2.connect(target.baseUrl, { ca: target.ca });
  const jwt = new ApnsProviderTokens().get({ ...target, baseUrl: null, sandboxBaseUrl: null, ca: null } as never, Date.now());
  const body = JSON.stringify({
    aps: { alert: { title: 'Your ticket', body: "Ticket A012, it's your turn: please go to counter 3." }, sound: 'default' },
    action: 'TICKET_CALLED',
    ticketId: 'tkt_ceiling',
    label: 'A012',
    state: '200',
    counter: 'Counter 3',
  });
  const one = (i: number) =>
    new Promise<void>((resolve, reject) => {
      const stream = session.request({
        ':method': 'POST',
        ':path': `/3/device/${i.toString(16).padStart(64, '0')}`,
        authorization: `bearer ${jwt}`,
        'content-type': 'application/json',
        'apns-topic': target.topic,
        'apns-push-type': 'alert',
        'apns-priority': '10',
        'apns-expiration': String(Math.floor(Date.now() / 1000) + 300),
        'apns-collapse-id': 'tkt_ceiling',
      });
      stream.on('response', () => {});
      stream.on('data', () => {});
      stream.on('close', () => resolve());
      stream.on('error', reject);
      stream.end(body);
    });
  return { one, close: () => session.close() };
}

function webPushSender(target: Record<string, any>) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const subscription = target.subscription as webpush.PushSubscription;
  const details = webpush.generateRequestDetails(
    subscription,
    JSON.stringify({
      title: 'Your ticket',
      body: "Ticket A012, it's your turn: please go to counter 3.",
      data: { action: 'TICKET_CALLED', ticketId: 'tkt_ceiling' },
    }),
    {
      vapidDetails: { subject: 'mailto:bench@example.com', publicKey: target.vapid.publicKey, privateKey: target.vapid.privateKey },
      TTL: 300,
      urgency: 'high',
      topic: 'tkt_ceiling',
    },
  );
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const request = http.request(
        subscription.endpoint,
        { method: 'POST', agent, headers: details.headers as Record<string, string> },
        (response) => {
          response.resume();
          response.on('end', () => resolve());
        },
      );
      request.on('error', reject);
      request.end(details.body);
    });
  return { one, close: () => agent.destroy() };
}

process.send?.({ ready: true });
process.on('SIGTERM', () => process.exit(0));
