/**
 * The Web Push request for one notification: a JSON `{title, body, data}` the page's service
 * worker shows, encrypted for the subscription (RFC 8291, aes128gcm, one record), with the RFC 8030
 * headers TTL, Urgency and Topic. A 4096-byte encrypted body leaves 3993 bytes of plaintext, and
 * web-push does not enforce it, so the limit is checked here.
 */
import { createHash } from 'node:crypto';
import webpush from 'web-push';
import { fitToLimit } from '../fit.js';
import { rejected, type PreparedPush, type PushInput, type PushOutcome } from '../provider.js';

const WEBPUSH_PLAINTEXT_LIMIT = 3993;
const TOPIC = /^[A-Za-z0-9_-]{1,32}$/;

export function buildWebPushRequest(input: PushInput): PreparedPush | PushOutcome {
  const { device, notification, now } = input;
  if (!device.p256dh || !device.auth) return rejected('the subscription has no keys');
  const plaintext = fitToLimit(
    notification.body,
    WEBPUSH_PLAINTEXT_LIMIT,
    (body) => JSON.stringify({ title: notification.title, body, data: notification.data }),
    (json) => Buffer.byteLength(json),
  );
  if (plaintext === null) return rejected(`payload larger than ${WEBPUSH_PLAINTEXT_LIMIT} bytes`);
  const { cipherText } = webpush.encrypt(device.p256dh, device.auth, plaintext, 'aes128gcm');
  return {
    input,
    body: cipherText,
    headers: {
      'content-type': 'application/octet-stream',
      'content-encoding': 'aes128gcm',
      ttl: String(Math.max(0, Math.ceil((notification.expiresAt - now) / 1000))),
      urgency: notification.highPriority ? 'high' : 'normal',
      // Replaces a not-yet-delivered message about the same ticket in the push service.
      topic: topicFor(notification.collapseKey),
    },
  };
}

/** RFC 8030 topics are at most 32 URL-safe base64 characters; other ticket ids are digested. */
function topicFor(key: string): string {
  return TOPIC.test(key) ? key : createHash('sha256').update(key).digest('base64url').slice(0, 32);
}
