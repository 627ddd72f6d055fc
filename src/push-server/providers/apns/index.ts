/** The APNs provider: HTTP/2 provider API with token (ES256 JWT) authentication. */
import type { PreparedPush, Provider, PushInput, PushOutcome } from '../provider.js';
import { ApnsProviderTokens } from './credentials.js';
import { EXPIRED_PROVIDER_TOKEN, apnsOutcome, networkOutcome, reasonOf } from './outcome.js';
import { buildApnsRequest } from './payload.js';
import type { H2Response } from '../http2-sessions.js';
import { ApnsTransport } from './transport.js';

export interface ApnsProviderOptions {
  requestTimeoutMs?: number;
  pingIntervalMs?: number;
}

export class ApnsProvider implements Provider {
  readonly name = 'apns' as const;
  private readonly tokens = new ApnsProviderTokens();
  private readonly transport: ApnsTransport;

  constructor(options: ApnsProviderOptions = {}) {
    this.transport = new ApnsTransport({
      requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
      pingIntervalMs: options.pingIntervalMs ?? 60_000,
    });
  }

  prepare(input: PushInput): PreparedPush | PushOutcome {
    return buildApnsRequest(input);
  }

  async send(prepared: PreparedPush): Promise<PushOutcome> {
    const first = await this.attempt(prepared);
    if (first.response && first.response.status === 403 && reasonOf(first.response) === EXPIRED_PROVIDER_TOKEN) {
      // Apple saw our token as stale (clock skew, a long pause): sign a new one and try once more.
      this.tokens.invalidate(prepared.input.app.apns!, first.jwt);
      const second = await this.attempt(prepared);
      return second.outcome;
    }
    return first.outcome;
  }

  forgetApp(appId: string): void {
    this.transport.forgetApp(appId);
  }

  close(): Promise<void> {
    return this.transport.close();
  }

  private async attempt(prepared: PreparedPush): Promise<{ outcome: PushOutcome; response?: H2Response; jwt: string }> {
    const { app, device, now } = prepared.input;
    const credentials = app.apns!;
    const environment = device.environment ?? 'production';
    const jwt = this.tokens.get(credentials, now);
    // The prepared request belongs to this push alone: setting the token on it saves a copy per push.
    const headers = Object.assign(prepared.headers, { authorization: `bearer ${jwt}` });
    try {
      const response = await this.transport.post(app.appId, environment, credentials, headers, prepared.body);
      return { outcome: apnsOutcome(response, now), response, jwt };
    } catch (error) {
      return { outcome: networkOutcome(error as Error), jwt };
    }
  }
}
