/**
 * Webhook URLs are checked when a destination is created or updated, not only at send time: a
 * host that is localhost, a non-public address literal or a name resolving to one is a 400
 * UNSAFE_URL naming the problem, unless QUEUEBELL_ALLOW_PRIVATE_WEBHOOKS is on.
 */
import { hostname } from 'node:os';
import { lookup } from 'node:dns/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../support/engines.js';
import { QueueHarness, expectStatus } from '../queue-service/support/harness.js';

describeEachEngine('webhook URLs at creation', (engine) => {
  let strict: QueueHarness;
  let companyId: string;
  beforeAll(async () => {
    strict = await QueueHarness.start(engine, { QUEUEBELL_ALLOW_PRIVATE_WEBHOOKS: '0' });
    companyId = expectStatus(await strict.admin('POST', '/admin/companies', { name: 'Strict' }), 201).id;
  });
  afterAll(() => strict.close());

  it('refuses loopback, private, metadata and IPv4-in-IPv6 hosts on create, naming the problem', async () => {
    for (const url of [
      'http://127.0.0.1:9/push',
      'http://localhost/push',
      'http://api.localhost/push',
      'http://10.0.0.5/push',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]/push',
      'http://[::127.0.0.1]/push',
      'http://[::ffff:10.0.0.1]/push',
      'http://0x7f.1/push',
    ]) {
      const reply = await strict.admin('POST', `/admin/companies/${companyId}/webhooks`, { url });
      expect([reply.status, reply.body.error.code], url).toEqual([400, 'UNSAFE_URL']);
      expect(reply.body.error.message, url).toMatch(/its host is/);
    }
  });

  it('accepts a public host, and refuses an update to a private one', async () => {
    const created = expectStatus(
      await strict.admin('POST', `/admin/companies/${companyId}/webhooks`, { url: 'https://hooks.example.com/q' }),
      201,
    );
    const update = await strict.admin('PATCH', `/admin/webhooks/${created.id}`, { url: 'http://192.168.1.10/q' });
    expect([update.status, update.body.error.code]).toEqual([400, 'UNSAFE_URL']);
    expect(update.body.error.message).toContain('private');
  });

  it('refuses a host name that resolves to a private address, and accepts it where private addresses are allowed', async () => {
    // The machine's own name resolves to one of its addresses (loopback or private) from /etc/hosts.
    const name = hostname();
    const { address } = await lookup(name);
    const url = `http://${name}:9/push`;
    const reply = await strict.admin('POST', `/admin/companies/${companyId}/webhooks`, { url });
    expect([reply.status, reply.body.error.code]).toEqual([400, 'UNSAFE_URL']);
    expect(reply.body.error.message).toContain(`resolves to ${address}`);
    const lenient = await QueueHarness.start(engine);
    try {
      const company = expectStatus(await lenient.admin('POST', '/admin/companies', { name: 'Lenient' }), 201).id;
      expectStatus(await lenient.admin('POST', `/admin/companies/${company}/webhooks`, { url }), 201);
    } finally {
      await lenient.close();
    }
  });
});
