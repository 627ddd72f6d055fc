/**
 * How the queue service serves the pages: hashed assets cached for a year, pages revalidated,
 * the smallest encoding the browser accepts, a content security policy, and /config.json passing
 * through an allow-list so a secret put into the pages settings by mistake is never served.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPages } from '../../web/build.js';
import { loadAssets } from '../../src/queue-service/pages/static-assets.js';
import { publicPagesConfig } from '../../src/queue-service/pages/pages-config.js';
import { startDemoStack, type DemoStack } from './support/stack.js';

describe('the pages as the queue service serves them', () => {
  let stack: DemoStack;
  let index: string;

  beforeAll(async () => {
    await buildPages({ ifStale: true, quiet: true });
    stack = await startDemoStack();
    index = await (await fetch(`${stack.queueUrl}/`)).text();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('revalidates pages and caches hashed assets for a year', async () => {
    const page = await fetch(`${stack.queueUrl}/desk`);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const again = await fetch(`${stack.queueUrl}/desk`, { headers: { 'if-none-match': page.headers.get('etag')! } });
    expect(again.status).toBe(304);
    const script = /src="(\/assets\/ticket-[^"]+\.js)"/.exec(index)![1]!;
    const asset = await fetch(stack.queueUrl + script);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await fetch(`${stack.queueUrl}/assets/nothing-here.js`)).status).toBe(404);
  });

  it('sends brotli or gzip as the browser accepts, and the plain file otherwise', async () => {
    const script = /src="(\/assets\/ticket-[^"]+\.js)"/.exec(index)![1]!;
    const encodingFor = async (accept: string) => {
      const response = await fetch(stack.queueUrl + script, { headers: { 'accept-encoding': accept } });
      await response.arrayBuffer();
      return response.headers.get('content-encoding');
    };
    expect(await encodingFor('gzip, deflate, br')).toBe('br');
    expect(await encodingFor('gzip')).toBe('gzip');
    expect(await encodingFor('identity')).toBeNull();
  });

  it('lets pages talk only to this service, the push server and the demo window', async () => {
    const csp = (await fetch(`${stack.queueUrl}/`)).headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain(`connect-src 'self' ${new URL(stack.pushUrl).origin} ${new URL(stack.window.url).origin}`);
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('serves the service worker at the root so it may control every page', async () => {
    const worker = await fetch(`${stack.queueUrl}/sw.js`);
    expect(worker.status).toBe(200);
    expect(worker.headers.get('content-type')).toContain('javascript');
    expect(worker.headers.get('cache-control')).toBe('no-cache');
  });

  it('keeps secrets out of the public config even when the stored settings hold them', () => {
    const config = publicPagesConfig({
      bookingKey: 'qb_pub_x',
      adminToken: 'qbadm_secret',
      operatorKey: 'qb_op_secret',
      push: { serverUrl: 'http://push', appId: 'app_1', appKey: 'ak', vapidPublicKey: 'BPk', serverKey: 'sk_secret' },
      demo: { webPushBridgeUrl: null, endpointId: 'end_1', operatorLoginId: 'demo', operatorPassword: 'demo-operator' },
    });
    expect(JSON.stringify(config)).not.toMatch(/secret|demo-operator/);
    expect(config.push).toEqual({ serverUrl: 'http://push', appId: 'app_1', appKey: 'ak', vapidPublicKey: 'BPk' });
  });

  it('says the pages are not built rather than failing when there is no build', () => {
    const empty = mkdtempSync(join(tmpdir(), 'queuebell-nobuild-'));
    try {
      expect(loadAssets(empty)).toBeNull();
      mkdirSync(join(empty, 'assets'));
      writeFileSync(join(empty, 'index.html'), '<p>hi</p>');
      expect([...loadAssets(empty)!.keys()]).toEqual(['/index.html']);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
