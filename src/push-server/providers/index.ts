/** The three providers, built once per worker process and shared by all apps. */
import { ApnsProvider } from './apns/index.js';
import { FcmProvider } from './fcm/index.js';
import type { Provider, ProviderName } from './provider.js';
import { WebPushProvider } from './webpush/index.js';

export interface ProvidersOptions {
  allowPrivateEndpoints: boolean;
  requestTimeoutMs?: number;
}

export function createProviders(options: ProvidersOptions): Record<ProviderName, Provider> {
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  return {
    apns: new ApnsProvider({ requestTimeoutMs }),
    fcm: new FcmProvider({ requestTimeoutMs }),
    webpush: new WebPushProvider({ requestTimeoutMs, allowPrivateEndpoints: options.allowPrivateEndpoints }),
  };
}

export async function closeProviders(providers: Record<ProviderName, Provider>): Promise<void> {
  await Promise.all(Object.values(providers).map((provider) => provider.close()));
}
