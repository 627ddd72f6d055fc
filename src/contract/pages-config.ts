/** What the pages read at /config.json: the queue service serves it, the browser pages read it. */
export interface PagesConfig {
  /** A company key with the booking scope: it ships inside every app anyway. */
  bookingKey: string | null;
  /** The place and queue the ticket page and the display board open on when the link names none. */
  placeId: string | null;
  queueId: string | null;
  /** Where the ticket page registers its Web Push subscription (step ①). */
  push: { serverUrl: string; appId: string; appKey: string; vapidPublicKey: string | null } | null;
  /** Demo only: the bundled fake Web Push service's window for the browser, and the counter to sign in at. */
  demo: { webPushBridgeUrl: string | null; endpointId: string | null; operatorLoginId: string | null } | null;
}
