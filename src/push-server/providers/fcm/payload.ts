/**
 * The FCM HTTP v1 request for one notification: `notification` for the system tray, the compact
 * ticket `data` (strings only), an `android` block (collapse key, priority, TTL, a tag so the
 * shown notification is replaced) and an `apns` block for iOS devices reached through FCM.
 * FCM's limit is 4096 bytes of notification plus data.
 */
import { fitToLimit } from '../fit.js';
import { rejected, type PreparedPush, type PushInput, type PushOutcome } from '../provider.js';

const FCM_PAYLOAD_LIMIT = 4096;
/** FCM keeps a message at most four weeks. */
const MAX_TTL_S = 2_419_200;

export function buildFcmRequest(input: PushInput): PreparedPush | PushOutcome {
  const { app, device, notification, now } = input;
  if (!app.fcm) return rejected('the app has no FCM credentials');
  const counted = fitToLimit(
    notification.body,
    FCM_PAYLOAD_LIMIT,
    (body) => ({ notification: { title: notification.title, body }, data: { ...notification.data } }),
    (part) => Buffer.byteLength(JSON.stringify(part)),
  );
  if (counted === null) return rejected(`notification and data larger than ${FCM_PAYLOAD_LIMIT} bytes`);
  const ttlS = Math.min(MAX_TTL_S, Math.max(0, Math.ceil((notification.expiresAt - now) / 1000)));
  const message = {
    token: device.token,
    ...counted,
    android: {
      collapse_key: notification.collapseKey,
      priority: notification.highPriority ? 'HIGH' : 'NORMAL',
      ttl: `${ttlS}s`,
      notification: { tag: notification.collapseKey },
    },
    apns: {
      headers: {
        'apns-priority': notification.highPriority ? '10' : '5',
        'apns-expiration': String(Math.floor(notification.expiresAt / 1000)),
        'apns-collapse-id': notification.collapseKey.slice(0, 64),
      },
      payload: { aps: { sound: 'default' } },
    },
  };
  return {
    input,
    headers: {
      ':method': 'POST',
      ':path': `/v1/projects/${encodeURIComponent(app.fcm.serviceAccount.project_id)}/messages:send`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ message }),
  };
}
