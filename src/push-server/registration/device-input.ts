/**
 * A device as apps register it: an APNs token with its environment, an FCM token, or a Web Push
 * subscription, plus a locale. Each is checked for what the provider will accept, so a bad token
 * is refused at registration instead of failing every push later.
 */
import { createHash, createPublicKey } from 'node:crypto';
import { Type, type Static } from 'typebox';
import { AppError } from '../../contract/errors.js';
import type { DeviceTable, ProviderName } from '../db/schema.js';
import { isPublicAddress } from '../providers/webpush/transport.js';

export const DeviceBodySchema = Type.Object(
  {
    provider: Type.Union([Type.Literal('apns'), Type.Literal('fcm'), Type.Literal('webpush')]),
    token: Type.Optional(Type.String({ minLength: 1, maxLength: 4096, description: 'APNs device token (hex) or FCM registration token.' })),
    environment: Type.Optional(
      Type.Union([Type.Literal('sandbox'), Type.Literal('production')], {
        description: 'APNs only: the environment that issued the token.',
      }),
    ),
    subscription: Type.Optional(
      Type.Object(
        {
          endpoint: Type.String({ minLength: 1, maxLength: 2048 }),
          keys: Type.Object(
            { p256dh: Type.String({ maxLength: 200 }), auth: Type.String({ maxLength: 100 }) },
            { additionalProperties: false },
          ),
          expirationTime: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
        },
        { additionalProperties: false, description: 'Web Push only: PushSubscription.toJSON() of the browser.' },
      ),
    ),
    locale: Type.Optional(Type.String({ maxLength: 16, description: 'e.g. fr_FR; picks the notification title.' })),
  },
  { additionalProperties: false },
);

export type DeviceBody = Static<typeof DeviceBodySchema>;

/** The columns of a device row that registration fills from the request. */
export type DeviceFields = Pick<DeviceTable, 'provider' | 'token' | 'token_hash' | 'environment' | 'p256dh' | 'auth' | 'locale'>;

export function toDeviceFields(body: DeviceBody, allowPrivateEndpoints: boolean): DeviceFields {
  const locale = normalizeLocale(body.locale);
  if (body.provider === 'apns') return withHash({ provider: 'apns', ...apnsToken(body), p256dh: null, auth: null, locale });
  if (body.provider === 'fcm')
    return withHash({ provider: 'fcm', token: fcmToken(body), environment: null, p256dh: null, auth: null, locale });
  return withHash({ provider: 'webpush', ...subscription(body, allowPrivateEndpoints), environment: null, locale });
}

function tokenHash(provider: ProviderName, token: string): string {
  return createHash('sha256').update(`${provider}:${token}`).digest('hex');
}

function withHash(fields: Omit<DeviceFields, 'token_hash'>): DeviceFields {
  return { ...fields, token_hash: tokenHash(fields.provider, fields.token) };
}

function apnsToken(body: DeviceBody) {
  if (body.subscription) throw invalid('An apns device has a token, not a subscription.');
  if (!body.token || !/^[0-9a-fA-F]{64,200}$/.test(body.token))
    throw invalid('token must be the APNs device token in hex (64 characters or more).');
  if (!body.environment) throw invalid('environment (sandbox or production) is required for an apns device.');
  return { token: body.token.toLowerCase(), environment: body.environment };
}

function fcmToken(body: DeviceBody): string {
  if (body.subscription || body.environment) throw invalid('An fcm device has only a token.');
  if (!body.token || !/^[\x21-\x7e]{1,4096}$/.test(body.token)) throw invalid('token must be the FCM registration token.');
  return body.token;
}

function subscription(body: DeviceBody, allowPrivateEndpoints: boolean) {
  const sub = body.subscription;
  if (!sub || body.token || body.environment)
    throw invalid('A webpush device has a subscription {endpoint, keys:{p256dh, auth}} and no token.');
  checkEndpoint(sub.endpoint, allowPrivateEndpoints);
  const p256dh = Buffer.from(sub.keys.p256dh, 'base64url');
  if (p256dh.length !== 65 || p256dh[0] !== 4 || !isCurvePoint(p256dh))
    throw invalid('subscription.keys.p256dh must be a P-256 public key (65 bytes, base64url).');
  if (Buffer.from(sub.keys.auth, 'base64url').length !== 16) throw invalid('subscription.keys.auth must be 16 bytes in base64url.');
  return { token: sub.endpoint, p256dh: sub.keys.p256dh, auth: sub.keys.auth };
}

/** The endpoint is where the push server will POST: refuse private targets unless local setups are allowed. */
function checkEndpoint(endpoint: string, allowPrivateEndpoints: boolean): void {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw invalid('subscription.endpoint is not a URL.');
  }
  if (allowPrivateEndpoints ? !['https:', 'http:'].includes(url.protocol) : url.protocol !== 'https:')
    throw invalid('subscription.endpoint must be an https URL.');
  if (allowPrivateEndpoints) return;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const literal = /^[\d.]+$|:/.test(host);
  if (host === 'localhost' || host.endsWith('.localhost') || (literal && !isPublicAddress(host))) {
    throw new AppError('UNSAFE_URL', 'subscription.endpoint points at a private or loopback address.');
  }
}

function isCurvePoint(point: Buffer): boolean {
  try {
    createPublicKey({
      format: 'jwk',
      key: { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') },
    });
    return true;
  } catch {
    return false;
  }
}

function normalizeLocale(locale: string | undefined): string | null {
  if (locale === undefined || locale === '') return null;
  const match = /^([a-zA-Z]{2,3})(?:[_-]([a-zA-Z]{2}))?$/.exec(locale);
  if (!match) throw invalid('locale must look like fr_FR or fr.');
  return match[2] ? `${match[1]!.toLowerCase()}_${match[2].toUpperCase()}` : match[1]!.toLowerCase();
}

function invalid(message: string): AppError {
  return new AppError('INVALID_DEVICE', message);
}
