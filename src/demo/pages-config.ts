/**
 * Points the public pages at the demo through the admin API (`PUT /admin/pages`), as an operator
 * would from the admin page: only public values — the booking key an app ships anyway, the push
 * app's id and public key, the demo's counter and login name (not its password). Set on every
 * start: the fake Web Push window and, in tests, the push server get new ports each time.
 */
import { adminClient } from '../clients/admin-client.js';
import type { DemoInfo } from './seed.js';

export interface DemoPagesTarget {
  queueUrl: string;
  adminToken: string;
  /** Where browsers reach the push server. */
  pushUrl: string;
  webPushWindowUrl: string | null;
}

export async function publishDemoPages(target: DemoPagesTarget, info: DemoInfo): Promise<void> {
  await adminClient({ url: target.queueUrl, token: target.adminToken }).call('PUT', '/admin/pages', {
    bookingKey: info.bookingKey,
    placeId: info.placeId,
    queueId: info.queueId,
    push: { serverUrl: target.pushUrl, appId: info.pushAppId, appKey: info.pushAppKey, vapidPublicKey: info.vapidPublicKey },
    demo: { webPushBridgeUrl: target.webPushWindowUrl, endpointId: info.endpointId, operatorLoginId: info.operator.loginId },
  });
}
