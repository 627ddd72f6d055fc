/**
 * What the pages read at /config.json: public values only. They come from `pages.json` in the data
 * dir (written by `npm start --demo`, or by whoever deploys the pages), and pass through an
 * allow-list so a secret put there by mistake — an admin token, an operator key — is never served.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PagesConfig } from '../../contract/pages-config.js';

const EMPTY_PAGES_CONFIG: PagesConfig = { bookingKey: null, placeId: null, queueId: null, push: null, demo: null };

const PAGES_CONFIG_FILE = 'pages.json';

/** Read on every request: the file is tiny, and the demo rewrites it on each start with fresh ports. */
export async function readPagesConfig(dataDir: string): Promise<PagesConfig> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(join(dataDir, PAGES_CONFIG_FILE), 'utf8'));
  } catch {
    return EMPTY_PAGES_CONFIG;
  }
  return publicPagesConfig(raw);
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
