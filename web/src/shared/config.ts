/** The public values the queue service hands the pages (src/queue-service/pages/pages-config.ts). */
import { api } from './api.js';

export interface PagesConfig {
  bookingKey: string | null;
  placeId: string | null;
  queueId: string | null;
  push: { serverUrl: string; appId: string; appKey: string; vapidPublicKey: string | null } | null;
  demo: { webPushBridgeUrl: string | null; endpointId: string | null; operatorLoginId: string | null } | null;
}

export function loadPagesConfig(): Promise<PagesConfig> {
  return api<PagesConfig>('GET', '/config.json');
}
