/**
 * Behind a reverse proxy (QUEUEBELL_TRUST_PROXY): the per-address rate limit counts the client the
 * proxy names in X-Forwarded-For, only when the request comes from a trusted proxy; otherwise
 * the header is ignored, so nobody can pick a fresh address per request.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { setUpCompany } from '../support/company.js';
import { QueueHarness } from '../support/harness.js';

describe('trusting a reverse proxy', () => {
  let h: QueueHarness;
  afterEach(() => h.close());

  const places = (key: string, client: string) => h.call('GET', '/v2/places', { key, headers: { 'x-forwarded-for': client } });

  it('gives each client behind a trusted proxy its own budget', async () => {
    h = await QueueHarness.start('sqlite', { QUEUEBELL_TRUST_PROXY: '127.0.0.1/8', QUEUEBELL_RATE_LIMIT_ADDRESS_PER_MINUTE: '3' });
    const { bookingKey } = await setUpCompany(h);
    for (let i = 0; i < 3; i++) expect((await places(bookingKey, '203.0.113.7')).status).toBe(200);
    expect((await places(bookingKey, '203.0.113.7')).status).toBe(429);
    expect((await places(bookingKey, '198.51.100.9')).status).toBe(200);
  });

  it('ignores X-Forwarded-For from an address it does not trust', async () => {
    h = await QueueHarness.start('sqlite', { QUEUEBELL_TRUST_PROXY: '10.0.0.1', QUEUEBELL_RATE_LIMIT_ADDRESS_PER_MINUTE: '3' });
    const { bookingKey } = await setUpCompany(h);
    for (let i = 0; i < 3; i++) expect((await places(bookingKey, `203.0.113.${i}`)).status).toBe(200);
    expect((await places(bookingKey, '203.0.113.99')).status).toBe(429);
  });
});
