/**
 * A small typed client for the push server's registration calls (step ①), for a web page or an
 * app's JavaScript and for Node: fetch only, no Node imports. The pushId secret it receives is
 * the only credential of that pushId — keep it with the pushId (localStorage, the keychain).
 */

export interface WebPushSubscriptionJson {
  endpoint: string;
  expirationTime?: number | null;
  keys: { p256dh: string; auth: string };
}

export type DeviceRegistration =
  | { provider: 'apns'; token: string; environment: 'sandbox' | 'production'; locale?: string }
  | { provider: 'fcm'; token: string; locale?: string }
  | { provider: 'webpush'; subscription: WebPushSubscriptionJson; locale?: string };

export interface PushIdCredentials {
  pushId: string;
  secret: string;
}

export interface DeviceView {
  deviceId: string;
  provider: 'apns' | 'fcm' | 'webpush';
  environment: string | null;
  locale: string | null;
  tokenEnd: string;
  createdAt: string;
  updatedAt: string;
}

export interface PushView {
  pushJobId: string;
  deviceId: string;
  provider: 'apns' | 'fcm' | 'webpush';
  status: string;
  attempts: number;
  lastStatus: number | null;
  lastReason: string | null;
  nextAttemptAt: string | null;
  updatedAt: string;
  finishedAt: string | null;
}

export interface MessageResult {
  messageId: string;
  webhookId: string;
  action: string;
  status: string;
  receivedAt: string;
  deliverBy: string;
  pushes: PushView[];
}

export interface PushClientOptions {
  /** The push server's base URL, e.g. http://127.0.0.1:8090. */
  baseUrl: string;
  appId: string;
  /** The app's public key: needed only to register a new pushId. */
  appKey?: string;
  fetch?: typeof fetch;
}

/** A refusal from the push server, in its one error shape. */
export class PushClientError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'PushClientError';
  }
}

export class PushClient {
  private readonly fetch: typeof fetch;
  private readonly baseUrl: string;

  constructor(private readonly options: PushClientOptions) {
    this.fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  /** A new pushId for this device; the answer's secret governs the pushId from now on. */
  register(device: DeviceRegistration): Promise<PushIdCredentials & { deviceId: string }> {
    if (!this.options.appKey) throw new Error('register() needs the app key (appKey option)');
    return this.call('POST', `/v1/apps/${enc(this.options.appId)}/devices`, device, { 'x-app-key': this.options.appKey });
  }

  addDevice(credentials: PushIdCredentials, device: DeviceRegistration): Promise<{ pushId: string; deviceId: string }> {
    return this.call('POST', `/v1/push-ids/${enc(credentials.pushId)}/devices`, device, bearer(credentials));
  }

  /** A new token for a known device (the OS rotated it), or a new locale. */
  async updateDevice(credentials: PushIdCredentials, deviceId: string, device: DeviceRegistration): Promise<void> {
    await this.call('PUT', `/v1/push-ids/${enc(credentials.pushId)}/devices/${enc(deviceId)}`, device, bearer(credentials));
  }

  getPushId(credentials: PushIdCredentials): Promise<{ pushId: string; appId: string; devices: DeviceView[] }> {
    return this.call('GET', `/v1/push-ids/${enc(credentials.pushId)}`, undefined, bearer(credentials));
  }

  async removeDevice(credentials: PushIdCredentials, deviceId: string): Promise<void> {
    await this.call('DELETE', `/v1/push-ids/${enc(credentials.pushId)}/devices/${enc(deviceId)}`, undefined, bearer(credentials));
  }

  /** Removes every device of the pushId; the pushId and secret stay valid for the next login. */
  async logout(credentials: PushIdCredentials): Promise<void> {
    await this.call('DELETE', `/v1/push-ids/${enc(credentials.pushId)}`, undefined, bearer(credentials));
  }

  pushes(credentials: PushIdCredentials, limit = 50): Promise<{ pushId: string; messages: MessageResult[] }> {
    return this.call('GET', `/v1/push-ids/${enc(credentials.pushId)}/pushes?limit=${limit}`, undefined, bearer(credentials));
  }

  /** What a page passes (through applicationServerKey()) to pushManager.subscribe(). */
  async vapidPublicKey(): Promise<string> {
    return (await this.call<{ vapidPublicKey: string }>('GET', `/v1/apps/${enc(this.options.appId)}/vapid-public-key`)).vapidPublicKey;
  }

  private async call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const response = await this.fetch(this.baseUrl + path, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (response.status === 204) return undefined as T;
    const parsed = (await response.json().catch(() => null)) as { error?: { code: string; message: string; details?: unknown } } | null;
    if (!response.ok) {
      throw new PushClientError(
        response.status,
        parsed?.error?.code ?? 'HTTP_ERROR',
        parsed?.error?.message ?? `HTTP ${response.status}`,
        parsed?.error?.details,
      );
    }
    return parsed as T;
  }
}

/** A browser PushSubscription (or its toJSON()) as a device to register. */
export function webPushDevice(subscription: WebPushSubscriptionJson | { toJSON(): unknown }, locale?: string): DeviceRegistration {
  const json = ('toJSON' in subscription ? subscription.toJSON() : subscription) as WebPushSubscriptionJson;
  return {
    provider: 'webpush',
    subscription: {
      endpoint: json.endpoint,
      expirationTime: json.expirationTime ?? null,
      keys: { p256dh: json.keys.p256dh, auth: json.keys.auth },
    },
    ...(locale ? { locale } : {}),
  };
}

/** The VAPID public key (base64url) as the bytes pushManager.subscribe({applicationServerKey}) expects. */
export function applicationServerKey(vapidPublicKey: string): Uint8Array {
  const base64 = vapidPublicKey
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(vapidPublicKey.length / 4) * 4, '=');
  const binary = atob(base64);
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

function bearer(credentials: PushIdCredentials): Record<string, string> {
  return { authorization: `Bearer ${credentials.secret}` };
}

function enc(value: string): string {
  return encodeURIComponent(value);
}
