/**
 * Step ① from the browser: ask for permission, register the service worker, get a Web Push
 * subscription and register it with the push server through the typed client; the pushId it
 * answers goes into the booking. In the demo (no internet, so the browser's own push service is
 * out of reach) the subscription comes from the bundled fake Web Push service instead — see
 * demo-push.ts — and everything after that is the real path.
 */
import {
  PushClient,
  PushClientError,
  applicationServerKey,
  webPushDevice,
  type WebPushSubscriptionJson,
} from '../../../src/clients/push-client.js';
import type { PagesConfig } from '../shared/config.js';
import { readStored, writeStored } from '../shared/storage.js';
import { demoSubscription, demoSubscriptionAlive } from './demo-push.js';

export type PushProblem = 'unsupported' | 'denied' | 'not-configured' | 'subscribe-failed' | 'register-failed';

export class PushUnavailable extends Error {
  constructor(
    readonly problem: PushProblem,
    detail?: string,
  ) {
    super(detail ?? problem);
  }
}

interface StoredPush {
  appId: string;
  pushId: string;
  secret: string;
  deviceId: string;
  mode: 'browser' | 'demo';
  /** Demo mode: the fake's subscription id, to follow what it receives. */
  demoSubscriptionId: string | null;
}

const PUSH_KEY = 'qb.push';

export function storedPush(config: PagesConfig): StoredPush | null {
  const stored = readStored<StoredPush>('local', PUSH_KEY);
  return stored && stored.appId === config.push?.appId ? stored : null;
}

export function pushSupported(): boolean {
  return 'serviceWorker' in navigator && 'Notification' in window;
}

export async function registerServiceWorker(): Promise<ServiceWorkerRegistration | null> {
  if (!('serviceWorker' in navigator)) return null;
  try {
    await navigator.serviceWorker.register('/sw.js', { scope: '/' });
    return await navigator.serviceWorker.ready;
  } catch {
    return null;
  }
}

/** Everything step ① needs; answers the pushId to book with. */
export async function enablePush(config: PagesConfig, locale: string): Promise<StoredPush> {
  const push = config.push;
  if (!push) throw new PushUnavailable('not-configured');
  const demo = Boolean(config.demo?.webPushBridgeUrl);
  if (!pushSupported() && !demo) throw new PushUnavailable('unsupported');
  const permission = 'Notification' in window ? await Notification.requestPermission() : 'denied';
  // The demo's fake push service needs no permission: the push still travels and the page shows it;
  // only the system notification needs the person's yes.
  if (permission !== 'granted' && !demo) throw new PushUnavailable('denied');
  const registration = await registerServiceWorker();
  if (!registration && !demo) throw new PushUnavailable('unsupported');
  const client = new PushClient({ baseUrl: push.serverUrl, appId: push.appId, appKey: push.appKey });
  const vapidKey = push.vapidPublicKey ?? (await client.vapidPublicKey());
  const { subscription, mode, demoSubscriptionId } = await subscribe(config, registration, vapidKey);
  const device = webPushDevice(subscription, locale);
  const stored = storedPush(config);
  try {
    if (stored) {
      await client.updateDevice(stored, stored.deviceId, device);
      return remember({ ...stored, mode, demoSubscriptionId });
    }
  } catch (error) {
    // The device or pushId is gone (the push server removed it after a 410): register afresh.
    if (!(error instanceof PushClientError)) throw new PushUnavailable('register-failed', (error as Error).message);
  }
  try {
    const registered = await client.register(device);
    return remember({ appId: push.appId, ...registered, mode, demoSubscriptionId });
  } catch (error) {
    throw new PushUnavailable('register-failed', (error as Error).message);
  }
}

async function subscribe(config: PagesConfig, registration: ServiceWorkerRegistration | null, vapidKey: string) {
  const bridge = config.demo?.webPushBridgeUrl;
  if (bridge) {
    const made = await demoSubscription(bridge, vapidKey).catch((error: Error) => {
      throw new PushUnavailable('subscribe-failed', error.message);
    });
    return { subscription: made.subscription, mode: 'demo' as const, demoSubscriptionId: made.id };
  }
  if (!registration) throw new PushUnavailable('unsupported');
  try {
    const existing = await registration.pushManager.getSubscription();
    const subscription =
      existing ??
      (await registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: applicationServerKey(vapidKey) as BufferSource,
      }));
    return { subscription: subscription.toJSON() as WebPushSubscriptionJson, mode: 'browser' as const, demoSubscriptionId: null };
  } catch (error) {
    throw new PushUnavailable('subscribe-failed', (error as Error).message);
  }
}

function remember(value: StoredPush): StoredPush {
  writeStored('local', PUSH_KEY, value);
  return value;
}

/**
 * The demo forgets its fake subscriptions when `npm start` restarts: a page coming back with one
 * the fake no longer knows gets a fresh one, registered in place of the old device, so its ticket
 * keeps receiving pushes.
 */
export async function renewDemoSubscription(config: PagesConfig, locale: string): Promise<StoredPush | null> {
  const stored = storedPush(config);
  const bridge = config.demo?.webPushBridgeUrl;
  if (stored?.mode !== 'demo' || !bridge || !stored.demoSubscriptionId) return stored;
  if (await demoSubscriptionAlive(bridge, stored.demoSubscriptionId)) return stored;
  return enablePush(config, locale).catch(() => stored);
}
