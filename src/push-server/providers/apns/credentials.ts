/**
 * APNs token-based credentials: the .p8 key signs an ES256 "provider token" that every request
 * carries. Apple refuses a token older than an hour (403 ExpiredProviderToken) and one renewed
 * more often than every 20 minutes (429 TooManyProviderTokenUpdates), so one token per key is
 * cached and renewed after 40 minutes — well inside both bounds — and shared by every app and
 * session using that key.
 */
import { createHash, createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { AppError } from '../../../contract/errors.js';
import type { ApnsCredentials } from '../provider.js';

const RENEW_AFTER_MS = 40 * 60_000;

/** Checks what an admin gives before it is stored: a P-256 PKCS#8 key and Apple's 10-character ids. */
export function validateApnsCredentials(input: ApnsCredentials): ApnsCredentials {
  let key: KeyObject;
  try {
    key = createPrivateKey(input.keyP8);
  } catch {
    throw new AppError('INVALID_PROVIDER_CREDENTIALS', 'apns.keyP8 is not a PEM private key (.p8 file).');
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new AppError('INVALID_PROVIDER_CREDENTIALS', 'apns.keyP8 must be an EC P-256 key, as Apple issues.');
  }
  for (const field of ['keyId', 'teamId'] as const) {
    if (!/^[A-Z0-9]{10}$/.test(input[field]))
      throw new AppError('INVALID_PROVIDER_CREDENTIALS', `apns.${field} must be 10 letters or digits.`);
  }
  return input;
}

interface CachedToken {
  jwt: string;
  issuedAt: number;
}

export class ApnsProviderTokens {
  private readonly tokens = new Map<string, CachedToken>();
  private readonly keys = new Map<string, KeyObject>();

  /** The current provider token of this key, signed now if none is cached or it is 40 minutes old. */
  get(credentials: ApnsCredentials, now: number): string {
    const id = cacheKey(credentials);
    const cached = this.tokens.get(id);
    if (cached && now - cached.issuedAt < RENEW_AFTER_MS) return cached.jwt;
    const jwt = this.sign(credentials, now);
    this.tokens.set(id, { jwt, issuedAt: now });
    return jwt;
  }

  /** After 403 ExpiredProviderToken: the next request signs a fresh token. */
  invalidate(credentials: ApnsCredentials, rejectedJwt: string): void {
    const id = cacheKey(credentials);
    if (this.tokens.get(id)?.jwt === rejectedJwt) this.tokens.delete(id);
  }

  forget(credentials: ApnsCredentials): void {
    this.tokens.delete(cacheKey(credentials));
    this.keys.delete(cacheKey(credentials));
  }

  private sign(credentials: ApnsCredentials, now: number): string {
    const header = base64url({ alg: 'ES256', kid: credentials.keyId });
    const claims = base64url({ iss: credentials.teamId, iat: Math.floor(now / 1000) });
    const signature = sign('sha256', Buffer.from(`${header}.${claims}`), { key: this.keyOf(credentials), dsaEncoding: 'ieee-p1363' });
    return `${header}.${claims}.${signature.toString('base64url')}`;
  }

  private keyOf(credentials: ApnsCredentials): KeyObject {
    const id = cacheKey(credentials);
    let key = this.keys.get(id);
    if (!key) {
      key = createPrivateKey(credentials.keyP8);
      this.keys.set(id, key);
    }
    return key;
  }
}

const cacheKeys = new WeakMap<ApnsCredentials, string>();

/** Team, key id and a digest of the key itself: a key replaced under the same id is a new key. */
function cacheKey(credentials: ApnsCredentials): string {
  let key = cacheKeys.get(credentials);
  if (!key) {
    key = `${credentials.teamId}:${credentials.keyId}:${createHash('sha256').update(credentials.keyP8).digest('hex').slice(0, 16)}`;
    cacheKeys.set(credentials, key);
  }
  return key;
}

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
