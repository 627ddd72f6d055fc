/**
 * Writes `pages.json` in the data dir for the queue service's pages (src/queue-service/pages):
 * only public values — the booking key an app ships anyway, the push app's id and public key, the
 * demo's counter and login name (not its password). Rewritten on every start: the fake Web Push
 * window and, in tests, the push server get new ports each time.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DemoInfo } from './seed.js';

export function writeDemoPagesConfig(dataDir: string, info: DemoInfo, pushUrl: string, webPushWindowUrl: string | null): void {
  const config = {
    bookingKey: info.bookingKey,
    placeId: info.placeId,
    queueId: info.queueId,
    push: { serverUrl: pushUrl, appId: info.pushAppId, appKey: info.pushAppKey, vapidPublicKey: info.vapidPublicKey },
    demo: { webPushBridgeUrl: webPushWindowUrl, endpointId: info.endpointId, operatorLoginId: info.operator.loginId },
  };
  writeFileSync(join(dataDir, 'pages.json'), JSON.stringify(config, null, 2));
}
