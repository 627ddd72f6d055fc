/**
 * FCM HTTP v1 authentication: the service account signs an RS256 assertion, the account's
 * `token_uri` trades it for an OAuth2 access token (valid about an hour), and every send carries
 * that token. One token per account is cached and renewed five minutes before it expires; calls
 * that arrive while a renewal is under way wait for the same one instead of starting their own.
 */
import { createPrivateKey, sign } from 'node:crypto';
import { AppError } from '../../../contract/errors.js';
import type { PushOutcome, ServiceAccount } from '../provider.js';

export const FCM_SCOPE = 'https://www.googleapis.com/auth/firebase.messaging';
const RENEW_BEFORE_EXPIRY_MS = 5 * 60_000;
const ASSERTION_LIFETIME_S = 3600;

/** Checks an uploaded service-account JSON before it is stored. */
export function validateServiceAccount(input: unknown): ServiceAccount {
  const account = (input ?? {}) as Record<string, unknown>;
  for (const field of ['project_id', 'client_email', 'private_key', 'token_uri'] as const) {
    if (typeof account[field] !== 'string' || account[field] === '') {
      throw new AppError('INVALID_PROVIDER_CREDENTIALS', `fcm.serviceAccount.${field} is missing.`);
    }
  }
  try {
    const key = createPrivateKey(account.private_key as string);
    if (key.asymmetricKeyType !== 'rsa') throw new Error('not RSA');
  } catch {
    throw new AppError('INVALID_PROVIDER_CREDENTIALS', 'fcm.serviceAccount.private_key is not an RSA private key.');
  }
  if (!/^https?:\/\//.test(account.token_uri as string)) {
    throw new AppError('INVALID_PROVIDER_CREDENTIALS', 'fcm.serviceAccount.token_uri is not an http(s) URL.');
  }
  const { project_id, client_email, private_key, private_key_id, token_uri } = account as unknown as ServiceAccount;
  return { project_id, client_email, private_key, token_uri, ...(private_key_id ? { private_key_id } : {}) };
}

/** The assertion of the JWT-bearer grant (RFC 7523) Google's token endpoint expects. */
export function signAssertion(account: ServiceAccount, now: number): string {
  const iat = Math.floor(now / 1000);
  const header = encode({ alg: 'RS256', typ: 'JWT', ...(account.private_key_id ? { kid: account.private_key_id } : {}) });
  const claims = encode({ iss: account.client_email, scope: FCM_SCOPE, aud: account.token_uri, iat, exp: iat + ASSERTION_LIFETIME_S });
  const signature = sign('sha256', Buffer.from(`${header}.${claims}`), account.private_key);
  return `${header}.${claims}.${signature.toString('base64url')}`;
}

/** A token request that failed: already classified, so the caller can hand it to the worker. */
export class TokenFailure extends Error {
  constructor(readonly outcome: PushOutcome) {
    super(outcome.kind === 'delivered' ? 'token' : outcome.reason);
  }
}

export interface AccessToken {
  token: string;
  expiresAt: number;
}

export type TokenFetcher = (account: ServiceAccount, assertion: string, now: number) => Promise<{ token: string; expiresInS: number }>;

export class FcmAccessTokens {
  private readonly cache = new Map<string, AccessToken>();
  private readonly pending = new Map<string, Promise<AccessToken>>();

  constructor(private readonly fetchToken: TokenFetcher) {}

  async get(account: ServiceAccount, now: number): Promise<string> {
    const id = `${account.token_uri} ${account.client_email}`;
    const cached = this.cache.get(id);
    if (cached && cached.expiresAt - RENEW_BEFORE_EXPIRY_MS > now) return cached.token;
    let renewal = this.pending.get(id);
    if (!renewal) {
      renewal = this.renew(account, now).finally(() => this.pending.delete(id));
      this.pending.set(id, renewal);
    }
    return (await renewal).token;
  }

  /** After a 401 on send: the token was revoked or the clock lied; fetch a new one next time. */
  invalidate(account: ServiceAccount, token: string): void {
    const id = `${account.token_uri} ${account.client_email}`;
    if (this.cache.get(id)?.token === token) this.cache.delete(id);
  }

  forget(account: ServiceAccount): void {
    this.cache.delete(`${account.token_uri} ${account.client_email}`);
  }

  private async renew(account: ServiceAccount, now: number): Promise<AccessToken> {
    const { token, expiresInS } = await this.fetchToken(account, signAssertion(account, now), now);
    const fresh = { token, expiresAt: now + expiresInS * 1000 };
    this.cache.set(`${account.token_uri} ${account.client_email}`, fresh);
    return fresh;
  }
}

function encode(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
