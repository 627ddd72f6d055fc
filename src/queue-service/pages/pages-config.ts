/**
 * What the pages read at /config.json: public values only. They are set through the admin API
 * (`PUT /admin/pages`, the admin page's Pages tab; `npm start --demo` sets the demo's) and pass
 * through an allow-list so a secret put there by mistake — an admin token, an operator key — is
 * never served.
 */
import type { PagesConfig } from '../../contract/pages-config.js';
import type { QueueServiceDeps } from '../deps.js';
import { readPagesSettings } from '../db/queries/pages-settings.js';

/**
 * Pages load it on every visit: read at most this often per process. A change made through this
 * process is seen at once; through another, within this time.
 */
const CACHE_MS = 2_000;

const cached = new WeakMap<object, { at: number; config: PagesConfig }>();

export async function readPagesConfig(deps: Pick<QueueServiceDeps, 'database'>, fresh = false): Promise<PagesConfig> {
  const hit = cached.get(deps.database);
  if (!fresh && hit && Date.now() - hit.at < CACHE_MS) return hit.config;
  const stored = await readPagesSettings(deps.database.db);
  let raw: unknown = null;
  try {
    raw = stored === null ? null : JSON.parse(stored);
  } catch {
    // A row written by hand that does not parse shows the pages as not set up.
  }
  const config = publicPagesConfig(raw);
  cached.set(deps.database, { at: Date.now(), config });
  return config;
}

/** Copies the known public fields only, each checked for its type. */
export function publicPagesConfig(raw: unknown): PagesConfig {
  const source = record(raw);
  const push = record(source.push);
  const demo = record(source.demo);
  const [serverUrl, appId, appKey] = [text(push.serverUrl), text(push.appId), text(push.appKey)];
  return {
    bookingKey: text(source.bookingKey),
    placeId: text(source.placeId),
    queueId: text(source.queueId),
    push: serverUrl && appId && appKey ? { serverUrl, appId, appKey, vapidPublicKey: text(push.vapidPublicKey) } : null,
    demo: source.demo
      ? { webPushBridgeUrl: text(demo.webPushBridgeUrl), endpointId: text(demo.endpointId), operatorLoginId: text(demo.operatorLoginId) }
      : null,
  };
}

function record(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 && value.length <= 500 ? value : null;
}

/** The origins the pages may call besides their own: the push server and the demo's fake Web Push window. */
export function connectOrigins(config: PagesConfig): string[] {
  const origins = [config.push?.serverUrl, config.demo?.webPushBridgeUrl].flatMap((url) => {
    try {
      return url ? [new URL(url).origin] : [];
    } catch {
      return [];
    }
  });
  return [...new Set(origins)];
}
