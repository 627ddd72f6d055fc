/** The Web Push provider: VAPID-authenticated, aes128gcm-encrypted POSTs to subscription endpoints. */
import type { PreparedPush, Provider, PushInput, PushOutcome } from '../provider.js';
import { VapidHeaders } from './credentials.js';
import { networkOutcome, webPushOutcome } from './outcome.js';
import { buildWebPushRequest } from './payload.js';
import { WebPushTransport } from './transport.js';

export interface WebPushProviderOptions {
  requestTimeoutMs?: number;
  allowPrivateEndpoints: boolean;
  maxSocketsPerOrigin?: number;
}

export class WebPushProvider implements Provider {
  readonly name = 'webpush' as const;
  private readonly vapid = new VapidHeaders();
  private readonly transport: WebPushTransport;

  constructor(options: WebPushProviderOptions) {
    this.transport = new WebPushTransport({
      requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
      allowPrivateEndpoints: options.allowPrivateEndpoints,
      maxSocketsPerOrigin: options.maxSocketsPerOrigin ?? 64,
    });
  }

  prepare(input: PushInput): PreparedPush | PushOutcome {
    return buildWebPushRequest(input);
  }

  async send(prepared: PreparedPush): Promise<PushOutcome> {
    const { app, device, now } = prepared.input;
    const endpoint = device.token;
    try {
      const authorization = this.vapid.get(app.webpush, new URL(endpoint).origin, now);
      const response = await this.transport.post(endpoint, { ...prepared.headers, authorization }, prepared.body);
      return webPushOutcome(response, now);
    } catch (error) {
      return networkOutcome(error as Error);
    }
  }

  forgetApp(_appId: string): void {
    // VAPID JWTs are cached per public key; new keys are a new cache entry.
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}
