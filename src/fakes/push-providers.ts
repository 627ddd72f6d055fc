/**
 * Starts the three fake push providers together (the demo, the bench, end-to-end tests). Each part
 * carries what an app's credentials need to point at it, and `control` to steer and inspect it.
 */
import { startFakeApns, type FakeApns, type FakeApnsOptions } from './apns/server.js';
import { startFakeFcm, type FakeFcm, type FakeFcmOptions } from './fcm/server.js';
import { startFakeWebPush, type FakeWebPush, type FakeWebPushOptions } from './webpush/server.js';

export interface FakePushProviders {
  apns: FakeApns;
  fcm: FakeFcm;
  /** createSubscription() hands out subscriptions whose endpoint is this fake; control.received holds the decrypted pushes. */
  webpush: FakeWebPush;
  close(): Promise<void>;
}

export interface FakePushProvidersOptions {
  apns?: FakeApnsOptions;
  fcm?: FakeFcmOptions;
  webpush?: FakeWebPushOptions;
}

export async function startFakePushProviders(options: FakePushProvidersOptions = {}): Promise<FakePushProviders> {
  const [apns, fcm, webpush] = await Promise.all([
    startFakeApns(options.apns),
    startFakeFcm(options.fcm),
    startFakeWebPush(options.webpush),
  ]);
  return {
    apns,
    fcm,
    webpush,
    close: async () => {
      await Promise.all([apns.close(), fcm.close(), webpush.close()]);
    },
  };
}
