/**
 * The Web Push request for one notification: a JSON `{title, body, data}` the page's service
 * worker shows, encrypted for the subscription (RFC 8291, aes128gcm, one record), with the RFC 8030
 * headers TTL, Urgency and Topic. A 4096-byte encrypted body leaves 3993 bytes of plaintext,
 * which http_ece does not enforce, so the limit is checked here.
 */
import { createECDH, createHash, randomBytes, type ECDH } from 'node:crypto';
import { createRequire } from 'node:module';
import { fitToLimit } from '../fit.js';
import { rejected, type PreparedPush, type PushInput, type PushOutcome } from '../provider.js';

/** RFC 8188 encryption; CommonJS without types. The `web-push` package wraps the same call with far more we do not use. */
const ece = createRequire(import.meta.url)('http_ece') as {
  encrypt(content: Buffer, params: { version: 'aes128gcm'; dh: string; privateKey: ECDH; salt: string; authSecret: string }): Buffer;
};

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
  return {
    input,
    body: encrypt(device.p256dh, device.auth, plaintext),
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

/** RFC 8291: an ephemeral P-256 key and a random salt per message, keyed to the subscription's p256dh and auth. */
function encrypt(p256dh: string, auth: string, plaintext: string): Buffer {
  if (Buffer.from(p256dh, 'base64url').length !== 65) throw new Error('The subscription p256dh value should be 65 bytes long.');
  if (Buffer.from(auth, 'base64url').length < 16) throw new Error('The subscription auth key should be at least 16 bytes long');
  const localKey = createECDH('prime256v1');
  localKey.generateKeys();
  return ece.encrypt(Buffer.from(plaintext), {
    version: 'aes128gcm',
    dh: p256dh,
    privateKey: localKey,
    salt: randomBytes(16).toString('base64url'),
    authSecret: auth,
  });
}

/** RFC 8030 topics are at most 32 URL-safe base64 characters; other ticket ids are digested. */
function topicFor(key: string): string {
  return TOPIC.test(key) ? key : createHash('sha256').update(key).digest('base64url').slice(0, 32);
}
