/**
 * The demo's stand-in for the browser's push service. The machine running `npm start` may have no
 * internet, so a real subscription (at Google's or Mozilla's push service) could never be reached.
 * The bundled fake Web Push service makes a subscription whose endpoint is itself and keeps its
 * private key; the push server encrypts and VAPID-signs for it exactly as for a real one; the fake
 * decrypts what arrives; this page reads that over the fake's small window (src/demo/webpush-window.ts)
 * and hands it to its own service worker, which shows it as a system notification.
 */
import type { WebPushSubscriptionJson } from '../../../src/clients/push-client.js';

export interface DemoPush {
  payload: string;
  receivedAt: number;
  urgency: string | null;
  ttl: string;
}

export async function demoSubscription(
  bridgeUrl: string,
  vapidPublicKey: string,
): Promise<{ id: string; subscription: WebPushSubscriptionJson }> {
  const response = await fetch(`${bridgeUrl}/subscriptions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ applicationServerKey: vapidPublicKey }),
  });
  if (!response.ok) throw new Error(`the fake Web Push service answered ${response.status}`);
  return (await response.json()) as { id: string; subscription: WebPushSubscriptionJson };
}

/** Whether the fake still knows the subscription: it forgets them all when `npm start` restarts. */
export async function demoSubscriptionAlive(bridgeUrl: string, id: string): Promise<boolean> {
  try {
    return (await fetch(`${bridgeUrl}/subscriptions/${encodeURIComponent(id)}`)).ok;
  } catch {
    return false;
  }
}

export function demoPushesUrl(bridgeUrl: string, id: string): string {
  return `${bridgeUrl}/subscriptions/${encodeURIComponent(id)}/pushes`;
}

/** The push as the service worker would have received it, shown through the same code path. */
export async function showThroughServiceWorker(push: DemoPush): Promise<boolean> {
  const registration = await navigator.serviceWorker?.getRegistration('/');
  const worker = registration?.active;
  if (!worker || !('Notification' in window) || Notification.permission !== 'granted') return false;
  worker.postMessage({ type: 'queuebell-demo-push', payload: push.payload });
  return true;
}
