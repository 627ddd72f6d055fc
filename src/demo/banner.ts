import { join } from 'node:path';
import type { FakePushProviders } from '../fakes/push-providers.js';
import type { DemoInfo } from './seed.js';

/** What a newcomer needs after `npm start`: where to click, how to sign in, and what to try first. */
export function printDemoBanner({
  queueUrl,
  pushUrl,
  info,
  dataDir,
}: {
  queueUrl: string;
  pushUrl: string;
  info: DemoInfo;
  fakes: FakePushProviders;
  dataDir?: string;
}): void {
  const tokenFile = join(dataDir ?? './data', 'admin-token');
  const lines = [
    '',
    'queuebell is running with demo data.',
    '',
    `  Ticket page         ${queueUrl}/?queue=${info.queueId}`,
    `  Counter desk        ${queueUrl}/desk?counter=${info.endpointId}`,
    `  Display board       ${queueUrl}/display/${info.placeId}`,
    `  Admin               ${queueUrl}/admin   (admin token in ${tokenFile})`,
    '',
    `  Operator login      ${info.operator.loginId} / ${info.operator.password}   at counter ${info.endpointId}`,
    '',
    'See a notification travel through the four steps (about a minute):',
    '  1. Ticket page: keep "A notification on this device" ticked, take a ticket and allow notifications.',
    '     (1) the page registers its Web Push subscription with the push server, (2) books with the pushId.',
    '  2. Desk: sign in, open the counter, press "Call next".',
    '     (3) the queue service signs the message to the push server, (4) which encrypts it for the subscription.',
    '  3. The ticket page says "Called — go to Counter 1", the board shows the ticket, and the push that the',
    '     bundled fake Web Push service decrypted appears on the ticket page and as a system notification.',
    "     (No internet needed: the fake stands in for the browser's push service; the page explains how.)",
    '',
    `  Queue service API   ${queueUrl}/v2   (docs: ${queueUrl}/docs)`,
    `  Push server API     ${pushUrl}/v1   (docs: ${pushUrl}/docs)`,
    `  Booking key         ${info.bookingKey}`,
    `  Queue               ${info.queueId}   place ${info.placeId}`,
    `  Push app            ${info.pushAppId}   (APNs, FCM and Web Push point at local fakes)`,
    '',
  ];
  console.log(lines.join('\n'));
}
