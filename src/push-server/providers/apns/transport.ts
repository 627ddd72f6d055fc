/**
 * Where an APNs request goes: Apple's production or sandbox host (the environment the token was
 * registered with), or the app's `baseUrl` when it points at a fake or a proxy. One HTTP/2
 * session per app and environment.
 */
import type { OutgoingHttpHeaders } from 'node:http2';
import { Http2Sessions, type H2Response } from '../http2-sessions.js';
import type { ApnsCredentials } from '../provider.js';

export const APNS_ORIGINS = {
  production: 'https://api.push.apple.com',
  sandbox: 'https://api.sandbox.push.apple.com',
} as const;

export type ApnsEnvironment = keyof typeof APNS_ORIGINS;

export class ApnsTransport {
  private readonly sessions: Http2Sessions;

  constructor(options: { requestTimeoutMs: number; pingIntervalMs: number }) {
    this.sessions = new Http2Sessions(options);
  }

  post(
    appId: string,
    environment: ApnsEnvironment,
    credentials: ApnsCredentials,
    headers: OutgoingHttpHeaders,
    body: string | Buffer,
  ): Promise<H2Response> {
    const origin = (environment === 'sandbox' ? credentials.sandboxBaseUrl : null) ?? credentials.baseUrl ?? APNS_ORIGINS[environment];
    return this.sessions.request(`${appId}:${environment}`, origin, credentials.ca, headers, body);
  }

  forgetApp(appId: string): void {
    this.sessions.closeMatching(`${appId}:`);
  }

  close(): Promise<void> {
    return this.sessions.closeAll();
  }
}
