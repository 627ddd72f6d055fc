/*
 * The ticket page's service worker: it turns a Web Push message into a system notification, even
 * when the page is closed, and brings the page back when the person taps it. The payload is what
 * the push server sends: {title, body, data: {action, ticketId, label, state, counter}}. One
 * notification per ticket (tag = ticket id): a newer state replaces the older one.
 *
 * Plain JavaScript on purpose: service workers run in their own global scope, and a module worker
 * would need every browser to support `type: "module"` registration.
 */
const URGENT = new Set(['TICKET_CALLED', 'TICKET_ALERTED', 'TICKET_ONHOLD']);

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('push', (event) => {
  event.waitUntil(showTicketNotification(readPayload(event.data)));
});

// The demo hands over a push that its fake Web Push service received and decrypted (see the page).
self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'queuebell-demo-push') {
    event.waitUntil(showTicketNotification(readPayload({ text: () => event.data.payload })));
  }
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  event.waitUntil(focusTicketPage());
});

function readPayload(data) {
  if (!data) return { title: 'queuebell', body: '', data: {} };
  const text = data.text();
  try {
    const parsed = JSON.parse(text);
    return { title: parsed.title || 'queuebell', body: parsed.body || '', data: parsed.data || {} };
  } catch {
    return { title: 'queuebell', body: text, data: {} };
  }
}

async function showTicketNotification(payload) {
  const data = payload.data || {};
  await self.registration.showNotification(payload.title, {
    body: payload.body,
    tag: data.ticketId || 'queuebell',
    renotify: true,
    requireInteraction: URGENT.has(data.action),
    icon: '/favicon.svg',
    data,
  });
  // An open page refreshes at once instead of waiting for its stream.
  const pages = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  for (const page of pages) page.postMessage({ type: 'queuebell-push', data });
}

async function focusTicketPage() {
  const pages = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const open = pages.find((page) => new URL(page.url).pathname === '/');
  if (open) return open.focus();
  return self.clients.openWindow('/');
}
