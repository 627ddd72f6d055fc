import type { FakePushProviders } from '../fakes/push-providers.js';
import type { DemoInfo } from './seed.js';

/** What a newcomer needs after `npm start`: where to click and how to sign in. */
export function printDemoBanner({ queueUrl, pushUrl, info }: { queueUrl: string; pushUrl: string; info: DemoInfo; fakes: FakePushProviders }): void {
  const lines = [
    '',
    'queuebell is running with demo data.',
    '',
    `  Queue service API   ${queueUrl}/v2   (docs: ${queueUrl}/docs)`,
    `  Push server API     ${pushUrl}/v1   (docs: ${pushUrl}/docs)`,
    '',
    `  Booking key         ${info.bookingKey}`,
    `  Operator login      ${info.operator.loginId} / ${info.operator.password}   at counter ${info.endpointId}`,
    `  Queue               ${info.queueId}   place ${info.placeId}`,
    `  Push app            ${info.pushAppId}   (APNs, FCM and Web Push point at local fakes)`,
    '',
    'Try it:',
    `  curl -s -X POST '${queueUrl}/v2/users?key=${info.bookingKey}'`,
    '',
  ];
  console.log(lines.join('\n'));
}
