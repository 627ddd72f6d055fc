/**
 * The built pages (web/dist) held in memory: a few hundred kilobytes, each file with the gzip and
 * brotli copies the build wrote beside it, so a phone on mobile data gets the smallest one without
 * the server compressing on every request. Only files found in the build are served: a request
 * path never reaches the file system, so there is nothing to traverse.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const WEB_DIST = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

export interface Asset {
  body: Buffer;
  gzip: Buffer | null;
  brotli: Buffer | null;
  contentType: string;
  etag: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/** A build is reloaded when its index.html changes, so `npm run build:web` needs no restart. */
const cache = new Map<string, { stamp: number; assets: Map<string, Asset> }>();

export function loadAssets(dist = WEB_DIST): Map<string, Asset> | null {
  const index = join(dist, 'index.html');
  if (!existsSync(index)) return null;
  const stamp = statSync(index).mtimeMs;
  const cached = cache.get(dist);
  if (cached && cached.stamp === stamp) return cached.assets;
  const assets = new Map<string, Asset>();
  for (const file of walk(dist)) {
    if (file.endsWith('.gz') || file.endsWith('.br')) continue;
    const body = readFileSync(file);
    const sibling = (suffix: string) => (existsSync(file + suffix) ? readFileSync(file + suffix) : null);
    assets.set(`/${relative(dist, file).split(sep).join('/')}`, {
      body,
      gzip: sibling('.gz'),
      brotli: sibling('.br'),
      contentType: TYPES[extname(file)] ?? 'application/octet-stream',
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
    });
  }
  cache.set(dist, { stamp, assets });
  return assets;
}

function* walk(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.isFile()) yield path;
  }
}

/** The best encoding the client accepts among those the build wrote. */
export function pickEncoding(asset: Asset, acceptEncoding: string | undefined): { body: Buffer; encoding: 'br' | 'gzip' | null } {
  const accepted = (acceptEncoding ?? '').toLowerCase();
  if (asset.brotli && /\bbr\b/.test(accepted)) return { body: asset.brotli, encoding: 'br' };
  if (asset.gzip && /\bgzip\b/.test(accepted)) return { body: asset.gzip, encoding: 'gzip' };
  return { body: asset.body, encoding: null };
}
