/**
 * The APNs request for one notification: `aps.alert` for the system to show, the compact ticket
 * data beside `aps` for the app, and the headers Apple reads (topic, push type, priority,
 * expiration, collapse id). Apple's limit is 4096 bytes of payload.
 */
import { createHash } from 'node:crypto';
import { fitToLimit } from '../fit.js';
import { rejected, type PreparedPush, type PushInput, type PushOutcome } from '../provider.js';

const APNS_PAYLOAD_LIMIT = 4096;
const COLLAPSE_ID_LIMIT = 64;

export function buildApnsRequest(input: PushInput): PreparedPush | PushOutcome {
  const { app, notification } = input;
  if (!app.apns) return rejected('the app has no APNs credentials');
  const body = fitToLimit(
    notification.body,
    APNS_PAYLOAD_LIMIT,
    (text) =>
      JSON.stringify({
        aps: { alert: { title: notification.title, body: text }, sound: 'default' },
        ...notification.data,
      }),
    (json) => Buffer.byteLength(json),
  );
  if (body === null) return rejected(`payload larger than ${APNS_PAYLOAD_LIMIT} bytes`);
  return {
    input,
    body,
    headers: {
      ':method': 'POST',
      ':path': `/3/device/${input.device.token}`,
      'content-type': 'application/json',
      'apns-topic': app.apns.topic,
      'apns-push-type': 'alert',
      // 10 = deliver now; 5 = when it suits the device's power budget (Apple groups such pushes).
      'apns-priority': notification.highPriority ? '10' : '5',
      'apns-expiration': String(Math.floor(notification.expiresAt / 1000)),
      'apns-collapse-id': collapseId(notification.collapseKey),
    },
  };
}

/** Apple caps the collapse id at 64 bytes; a longer ticket id is replaced by a stable digest. */
function collapseId(key: string): string {
  if (Buffer.byteLength(key) <= COLLAPSE_ID_LIMIT) return key;
  return createHash('sha256').update(key).digest('base64url');
}
