/**
 * What the public pages use, set through the admin API (docs/pages.md): `/config.json` serves it
 * at once, each reference is checked when it is set, and only the admin token may change it.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../support/engines.js';
import { QueueHarness, expectStatus } from '../support/harness.js';
import { setUpCompany, type TestCompany } from '../support/company.js';

describeEachEngine('pages settings', (engine) => {
  let h: QueueHarness;
  let acme: TestCompany;
  let globex: TestCompany;
  beforeAll(async () => {
    h = await QueueHarness.start(engine);
    acme = await setUpCompany(h, 'Acme');
    globex = await setUpCompany(h, 'Globex');
  });
  afterAll(() => h.close());

  const settings = (overrides: Record<string, unknown> = {}) => ({
    bookingKey: acme.bookingKey,
    placeId: acme.placeId,
    queueId: acme.queueId,
    push: { serverUrl: 'https://push.example.com', appId: 'app_1', appKey: 'qbapp_public', vapidPublicKey: 'BPk' },
    ...overrides,
  });

  it('starts empty, so the pages say they are not set up', async () => {
    const config = expectStatus(await h.call('GET', '/config.json'), 200);
    expect(config).toEqual({ bookingKey: null, placeId: null, queueId: null, push: null, demo: null });
  });

  it('serves what the admin set at /config.json at once', async () => {
    expectStatus(await h.admin('PUT', '/admin/pages', settings()), 200);
    expect(expectStatus(await h.call('GET', '/config.json'), 200)).toEqual({ ...settings(), demo: null });
    expect(expectStatus(await h.admin('GET', '/admin/pages'), 200)).toEqual({ ...settings(), demo: null });
  });

  it('refuses a queue of another place, a key of another company, a key that cannot book, and unknown ids', async () => {
    const refused = async (body: Record<string, unknown>) => (await h.admin('PUT', '/admin/pages', settings(body))).body.error.code;
    expect(await refused({ queueId: globex.queueId })).toBe('VALIDATION_FAILED');
    expect(await refused({ bookingKey: globex.bookingKey })).toBe('VALIDATION_FAILED');
    expect(await refused({ bookingKey: acme.operatorKey })).toBe('VALIDATION_FAILED');
    expect(await refused({ placeId: 'plc_nope' })).toBe('PLACE_NOT_FOUND');
    expect(await refused({ push: { serverUrl: 'javascript:alert(1)', appId: 'a', appKey: 'b', vapidPublicKey: null } })).toBe(
      'VALIDATION_FAILED',
    );
    // Nothing of the refused changes was kept.
    expect(expectStatus(await h.call('GET', '/config.json'), 200).bookingKey).toBe(acme.bookingKey);
  });

  it('keeps the settings to the admin token: a company admin key may not change the pages of the deployment', async () => {
    const reply = await h.call('PUT', '/admin/pages', { key: acme.adminKey, body: settings() });
    expect(reply.status).toBe(403);
  });
});
