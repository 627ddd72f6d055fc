/**
 * The caches keyed by what a caller sends hold a bounded number of entries, and an id that named
 * nothing is forgotten quickly, so random ids cannot grow memory without limit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LruMap } from '../../src/platform/lru-map.js';
import { AppCache } from '../../src/push-server/apps/app-cache.js';
import { SourceCache } from '../../src/push-server/apps/source-cache.js';
import { describeEachEngine } from '../support/engines.js';
import { startTestPushServer, type TestPushServer } from '../push-server/support.js';

describe('LruMap', () => {
  it('evicts the least recently used entry past its ceiling', () => {
    const map = new LruMap<string, number>(2);
    map.set('a', 1);
    map.set('b', 2);
    expect(map.get('a')).toBe(1);
    map.set('c', 3);
    expect([map.get('a'), map.get('b'), map.get('c'), map.size]).toEqual([1, undefined, 3, 2]);
  });
});

describeEachEngine('the push server app and source caches', (engine) => {
  let push: TestPushServer;
  beforeAll(async () => {
    push = await startTestPushServer(engine);
  });
  afterAll(() => push.close());

  it('hold no more than their ceiling when asked for many unknown app ids, and keep a busy app', async () => {
    const created = await push.admin('POST', '/admin/apps', { name: 'busy' });
    const apps = new AppCache(push.deps.db, push.deps.box, push.clock, { ttlMs: 5_000, maxEntries: 20 });
    const sources = new SourceCache(push.deps.db, push.deps.box, push.clock, 5_000, 20);
    for (let n = 0; n < 100; n++) {
      expect(await apps.row(`app_unknown_${n}`)).toBeUndefined();
      await sources.of(`app_unknown_${n}`);
      expect(await apps.row(created.body.appId)).toBeDefined();
    }
    expect(apps.size).toBeLessThanOrEqual(20);
    expect(sources.size).toBeLessThanOrEqual(20);
  });

  it('forgets an unknown id within a second, so an app created under that id by another process is seen soon', async () => {
    const apps = new AppCache(push.deps.db, push.deps.box, push.clock);
    const created = await push.admin('POST', '/admin/apps', { name: 'late' });
    const appId: string = created.body.appId;
    // Make the cache believe the id was unknown a moment ago, as if asked before the app existed.
    await push.deps.db
      .updateTable('apps')
      .set({ id: `${appId}_hidden` })
      .where('id', '=', appId)
      .execute();
    expect(await apps.row(appId)).toBeUndefined();
    await push.deps.db.updateTable('apps').set({ id: appId }).where('id', '=', `${appId}_hidden`).execute();
    expect(await apps.row(appId)).toBeUndefined();
    push.clock.advance(1_001);
    expect(await apps.row(appId)).toBeDefined();
  });
});
