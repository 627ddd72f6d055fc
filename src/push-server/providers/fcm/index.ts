/** The FCM provider: HTTP v1 `messages:send` with a service-account OAuth2 token. */
import type { PreparedPush, Provider, PushInput, PushOutcome } from '../provider.js';
import { FcmAccessTokens, TokenFailure } from './credentials.js';
import { fcmOutcome, isAccessTokenRefused } from './outcome.js';
import { buildFcmRequest } from './payload.js';
import { FcmTransport } from './transport.js';

export interface FcmProviderOptions {
  requestTimeoutMs?: number;
  pingIntervalMs?: number;
}

export class FcmProvider implements Provider {
  readonly name = 'fcm' as const;
  private readonly transport: FcmTransport;
  private readonly tokens: FcmAccessTokens;

  constructor(options: FcmProviderOptions = {}) {
    this.transport = new FcmTransport({
      requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
      pingIntervalMs: options.pingIntervalMs ?? 60_000,
    });
    this.tokens = new FcmAccessTokens((account, assertion, now) => this.transport.fetchToken(account, assertion, now));
  }

  prepare(input: PushInput): PreparedPush | PushOutcome {
    return buildFcmRequest(input);
  }

  async send(prepared: PreparedPush): Promise<PushOutcome> {
    const first = await this.attempt(prepared);
    if (first.refusedToken === null) return first.outcome;
    // The access token was refused (revoked, or minted before a clock jump): renew once and retry.
    this.tokens.invalidate(prepared.input.app.fcm!.serviceAccount, first.refusedToken);
    const second = await this.attempt(prepared);
    return second.refusedToken === null
      ? second.outcome
      : { kind: 'credentials_broken', status: 401, reason: 'FCM refused a fresh access token' };
  }

  forgetApp(_appId: string): void {
    // Tokens are cached per service account, not per app; a changed account has another cache key.
  }

  close(): Promise<void> {
    return this.transport.close();
  }

  private async attempt(prepared: PreparedPush): Promise<{ outcome: PushOutcome; refusedToken: string | null }> {
    const { app, now } = prepared.input;
    const credentials = app.fcm!;
    let token: string;
    try {
      token = await this.tokens.get(credentials.serviceAccount, now);
    } catch (error) {
      if (error instanceof TokenFailure) return { outcome: error.outcome, refusedToken: null };
      throw error;
    }
    try {
      const response = await this.transport.send(credentials, prepared.headers, prepared.body, token);
      if (isAccessTokenRefused(response)) return { outcome: fcmOutcome(response, now), refusedToken: token };
      return { outcome: fcmOutcome(response, now), refusedToken: null };
    } catch (error) {
      return {
        outcome: { kind: 'retry_later', status: null, reason: `network: ${(error as Error).message}`, cause: 'network' },
        refusedToken: null,
      };
    }
  }
}
