/**
 * Web Push VAPID (RFC 8292): each app has its own P-256 key pair; browsers bind a subscription to
 * the public key, so it is generated once and never rotated silently. Every request carries
 * `Authorization: vapid t=<ES256 JWT for the push service's origin>, k=<public key>`; one JWT per
 * app and push-service origin is reused for an hour of its 12-hour life.
 */
import { createECDH, createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { AppError } from '../../../contract/errors.js';
import type { WebPushCredentials } from '../provider.js';

const JWT_LIFETIME_S = 12 * 3600;
/**
 * The contact named when neither the app nor the operator gave one (no QUEUEBELL_PUSH_VAPID_SUBJECT,
 * no https: public URL): valid in form, reaching nobody. Apps created before the operator's contact
 * became the default stored it; it reads as "none given".
 */
export const NO_VAPID_SUBJECT = 'mailto:push@queuebell.invalid';
const REUSE_FOR_MS = 3600_000;

/** An app's VAPID keys as given or stored; `subject` null: the operator's contact (PushDeps.vapidSubject). */
export type VapidKeys = Omit<WebPushCredentials, 'subject'> & { subject: string | null };

export function generateVapidCredentials<S extends string | null>(subject: S): Omit<WebPushCredentials, 'subject'> & { subject: S } {
  const curve = createECDH('prime256v1');
  curve.generateKeys();
  // A private key with leading zero bytes comes back shorter: pad it to the 32 bytes validation expects.
  const privateKey = Buffer.concat([Buffer.alloc(32), curve.getPrivateKey()]).subarray(-32);
  return { publicKey: curve.getPublicKey().toString('base64url'), privateKey: privateKey.toString('base64url'), subject };
}

/** Checks given keys: base64url P-256 points of the right sizes that belong together, and a contact subject when given. */
export function validateVapidCredentials<T extends VapidKeys>(input: T): T {
  if (input.subject !== null && !/^(mailto:|https:)/.test(input.subject))
    throw new AppError('INVALID_PROVIDER_CREDENTIALS', 'webpush.subject must be a mailto: or https: contact.');
  const publicKey = Buffer.from(input.publicKey, 'base64url');
  const privateKey = Buffer.from(input.privateKey, 'base64url');
  if (publicKey.length !== 65 || privateKey.length !== 32) {
    throw new AppError(
      'INVALID_PROVIDER_CREDENTIALS',
      'webpush keys must be a 65-byte public and a 32-byte private P-256 key in base64url.',
    );
  }
  const ecdh = createECDH('prime256v1');
  try {
    ecdh.setPrivateKey(privateKey);
  } catch {
    throw new AppError('INVALID_PROVIDER_CREDENTIALS', 'webpush.privateKey is not a P-256 private key.');
  }
  if (!ecdh.getPublicKey().equals(publicKey))
    throw new AppError('INVALID_PROVIDER_CREDENTIALS', 'webpush.publicKey does not belong to webpush.privateKey.');
  return input;
}

export class VapidHeaders {
  private readonly cache = new Map<string, { header: string; signedAt: number }>();
  private readonly keys = new WeakMap<WebPushCredentials, KeyObject>();

  /** The Authorization header for a push service origin (the JWT's audience). */
  get(credentials: WebPushCredentials, audience: string, now: number): string {
    const id = `${credentials.publicKey} ${audience}`;
    const cached = this.cache.get(id);
    if (cached && now - cached.signedAt < REUSE_FOR_MS) return cached.header;
    const header = `vapid t=${this.sign(credentials, audience, now)}, k=${credentials.publicKey}`;
    this.cache.set(id, { header, signedAt: now });
    return header;
  }

  private sign(credentials: WebPushCredentials, audience: string, now: number): string {
    const head = encode({ typ: 'JWT', alg: 'ES256' });
    const claims = encode({ aud: audience, exp: Math.floor(now / 1000) + JWT_LIFETIME_S, sub: credentials.subject });
    const signature = sign('sha256', Buffer.from(`${head}.${claims}`), { key: this.keyOf(credentials), dsaEncoding: 'ieee-p1363' });
    return `${head}.${claims}.${signature.toString('base64url')}`;
  }

  private keyOf(credentials: WebPushCredentials): KeyObject {
    let key = this.keys.get(credentials);
    if (!key) {
      const point = Buffer.from(credentials.publicKey, 'base64url');
      key = createPrivateKey({
        format: 'jwk',
        key: {
          kty: 'EC',
          crv: 'P-256',
          d: credentials.privateKey,
          x: point.subarray(1, 33).toString('base64url'),
          y: point.subarray(33, 65).toString('base64url'),
        },
      });
      this.keys.set(credentials, key);
    }
    return key;
  }
}

function encode(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
