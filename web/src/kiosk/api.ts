/**
 * The kiosk API with the kiosk's own key (docs/design.md §Kiosks). The key is set up once on the
 * tablet, from the link the admin gives (`/kiosk#key=qbk_…`), and kept in this browser only.
 */
import type { TicketView } from '../../../src/contract/message.js';
import { api } from '../shared/api.js';
import { readStored, writeStored } from '../shared/storage.js';

const KEY = 'qb.kiosk';

export interface KioskQueue {
  queueId: string;
  name: string;
  names: Record<string, string>;
  state: { bookingIsOpened: boolean; waiting: { tickets: number; people: number }; estimatedWaitMinutes: number };
}
export interface KioskHome {
  kioskId: string;
  place: { placeId: string; name: string; names: Record<string, string>; timeZone: string; lang: string };
  queues: KioskQueue[];
}
export interface WalkIn {
  ticket: TicketView;
  followPath: string;
}

/** The key from the set-up link, moved out of the address bar into storage; or the one kept before. */
export function kioskKey(): string | null {
  const fromLink = new URLSearchParams(location.hash.slice(1)).get('key');
  if (fromLink) {
    writeStored('local', KEY, fromLink);
    history.replaceState(null, '', location.pathname + location.search);
  }
  return readStored<string>('local', KEY);
}

export function forgetKioskKey(): void {
  writeStored('local', KEY, null);
}

const headers = (key: string) => ({ 'x-kiosk-key': key });

export const loadHome = (key: string) => api<KioskHome>('GET', '/v2/kiosk', { headers: headers(key) });

export const takeTicket = (key: string, body: { queueId: string; lang: string; userData?: { phone: string }; sendClientSms?: boolean }) =>
  api<WalkIn>('POST', '/v2/kiosk/tickets', { headers: headers(key), body });
