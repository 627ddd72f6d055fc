/**
 * The fake push providers in their own process for the bench: they count what arrives and keep
 * each ticket's arrival time (performance.timeOrigin + now, comparable across processes), and
 * answer the bench's questions over IPC.
 */
import { startFakePushProviders } from '../../src/fakes/push-providers.js';

const counts = { apns: 0, fcm: 0, webpush: 0 };
const arrivals = new Map<string, number>();
let trackArrivals = false;
const arrived = (ticketId: unknown, at: number) => {
  if (trackArrivals && typeof ticketId === 'string') arrivals.set(ticketId, at);
};

const fakes = await startFakePushProviders({
  apns: {
    keep: false,
    onDelivery: (d) => {
      counts.apns += 1;
      arrived(d.payload.ticketId, d.receivedAt);
    },
  },
  fcm: {
    keep: false,
    onDelivery: () => {
      counts.fcm += 1;
    },
  },
  webpush: {
    keep: false,
    verifyEvery: Number(process.env.WEBPUSH_VERIFY_EVERY ?? '1'),
    onDelivery: () => {
      counts.webpush += 1;
    },
  },
});

type Request =
  | { type: 'stats' }
  | { type: 'arrivals' }
  | { type: 'track'; on: boolean }
  | { type: 'subscriptions'; count: number; applicationServerKey: string };

process.on('message', (message: Request) => {
  const reply = (value: unknown) => process.send?.({ type: message.type, reply: value });
  if (message.type === 'stats') return reply({ ...counts });
  if (message.type === 'arrivals') return reply([...arrivals.entries()]);
  if (message.type === 'track') {
    trackArrivals = message.on;
    arrivals.clear();
    return reply(true);
  }
  if (message.type === 'subscriptions') {
    return reply(
      Array.from({ length: message.count }, () => fakes.webpush.createSubscription({ applicationServerKey: message.applicationServerKey })),
    );
  }
});

process.send?.({
  ready: true,
  apns: {
    baseUrl: fakes.apns.baseUrl,
    keyP8: fakes.apns.keyP8,
    keyId: fakes.apns.keyId,
    teamId: fakes.apns.teamId,
    topic: fakes.apns.topic,
    ca: fakes.apns.ca,
  },
  fcm: { baseUrl: fakes.fcm.baseUrl, serviceAccount: fakes.fcm.serviceAccount },
  webpushBaseUrl: fakes.webpush.baseUrl,
});
process.on('SIGTERM', () => void fakes.close().then(() => process.exit(0)));
