/**
 * FCM traffic over HTTP/2 (Google serves both the send and the token endpoints over it): one
 * long-lived session per origin — `fcm.googleapis.com` or the app's `baseUrl`, and the service
 * account's `token_uri` host.
 */
import { Http2Sessions, type H2Response } from '../http2-sessions.js';
import { parseRetryAfter } from '../../../platform/net/retry-after.js';
import type { FcmCredentials, ServiceAccount } from '../provider.js';
import { TokenFailure } from './credentials.js';

const FCM_ORIGIN = 'https://fcm.googleapis.com';

export class FcmTransport {
  private readonly sessions: Http2Sessions;

  constructor(options: { requestTimeoutMs: number; pingIntervalMs: number }) {
    this.sessions = new Http2Sessions(options);
  }

  send(credentials: FcmCredentials, headers: Record<string, string>, body: string | Buffer, accessToken: string): Promise<H2Response> {
    const origin = new URL(credentials.baseUrl ?? FCM_ORIGIN).origin;
    return this.sessions.request(origin, origin, null, { ...headers, authorization: `Bearer ${accessToken}` }, body);
  }

  /** POSTs the JWT-bearer grant to the account's token_uri; failures leave as a classified TokenFailure. */
  async fetchToken(account: ServiceAccount, assertion: string, now: number): Promise<{ token: string; expiresInS: number }> {
    const url = new URL(account.token_uri);
    const form = new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }).toString();
    let response: H2Response;
    try {
      response = await this.sessions.request(
        url.origin,
        url.origin,
        null,
        { ':method': 'POST', ':path': url.pathname + url.search, 'content-type': 'application/x-www-form-urlencoded' },
        form,
      );
    } catch (error) {
      throw new TokenFailure({
        kind: 'retry_later',
        status: null,
        reason: `token endpoint: ${(error as Error).message}`,
        cause: 'network',
      });
    }
    return parseTokenResponse(response, now);
  }

  close(): Promise<void> {
    return this.sessions.closeAll();
  }
}

function parseTokenResponse(response: H2Response, now: number): { token: string; expiresInS: number } {
  const { status } = response;
  if (status >= 500 || status === 429) {
    throw new TokenFailure({
      kind: 'retry_later',
      status,
      reason: `token endpoint answered ${status}`,
      cause: 'provider_unavailable',
      retryAfterMs: parseRetryAfter(response.headers['retry-after'], now) ?? undefined,
    });
  }
  let parsed: { access_token?: unknown; expires_in?: unknown; error?: unknown } = {};
  try {
    parsed = JSON.parse(response.body);
  } catch {
    // a non-JSON answer is handled like any other unusable one below
  }
  if (status !== 200 || typeof parsed.access_token !== 'string') {
    // invalid_grant, a deleted key, a disabled account: only an admin can fix these.
    throw new TokenFailure({
      kind: 'credentials_broken',
      status,
      reason: `token endpoint refused the service account (${String(parsed.error ?? status)})`,
    });
  }
  return { token: parsed.access_token, expiresInS: typeof parsed.expires_in === 'number' ? parsed.expires_in : 3600 };
}
