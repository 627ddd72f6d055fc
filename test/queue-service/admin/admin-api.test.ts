import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachEngine } from '../../support/engines.js';
import { QueueHarness, expectStatus } from '../support/harness.js';
import { setUpCompany, type TestCompany } from '../support/company.js';

describeEachEngine('admin API', (engine) => {
  let h: QueueHarness;
  let acme: TestCompany;
  let globex: TestCompany;
  beforeAll(async () => {
    h = await QueueHarness.start(engine);
    acme = await setUpCompany(h, 'Acme');
    globex = await setUpCompany(h, 'Globex');
  });
  afterAll(() => h.close());

  describe('authentication', () => {
    it('refuses a call without credentials, with a wrong token, or with a non-admin key', async () => {
      expect((await h.call('GET', '/admin/companies')).status).toBe(401);
      expect((await h.call('GET', '/admin/companies', { token: 'wrong-token-wrong-token' })).status).toBe(401);
      const withBookingKey = await h.call('GET', `/admin/companies/${acme.companyId}`, { key: acme.bookingKey });
      expect(withBookingKey.status).toBe(403);
      expect(withBookingKey.body.error.code).toBe('FORBIDDEN');
    });

    it("lets a company admin key manage its own company and see nothing of another's", async () => {
      expect((await h.call('GET', `/admin/companies/${acme.companyId}/places`, { key: acme.adminKey })).status).toBe(200);
      const foreign = await h.call('GET', `/admin/companies/${globex.companyId}/places`, { key: acme.adminKey });
      expect(foreign.status).toBe(404);
      expect((await h.call('GET', `/admin/places/${globex.placeId}`, { key: acme.adminKey })).status).toBe(404);
      expect((await h.call('PATCH', `/admin/queues/${globex.queueId}`, { key: acme.adminKey, body: { name: 'mine' } })).status).toBe(404);
      expect((await h.call('DELETE', `/admin/webhooks/${globex.webhookId}`, { key: acme.adminKey })).status).toBe(404);
      const list = expectStatus(await h.call('GET', '/admin/companies', { key: acme.adminKey }), 200);
      expect(list.map((c: any) => c.id)).toEqual([acme.companyId]);
    });

    it('keeps company creation and deletion to the admin token', async () => {
      expect((await h.call('POST', '/admin/companies', { key: acme.adminKey, body: { name: 'X' } })).status).toBe(403);
      expect((await h.call('DELETE', `/admin/companies/${acme.companyId}`, { key: acme.adminKey })).status).toBe(403);
    });
  });

  describe('API keys', () => {
    it('returns a key once, lists only its prefix, and stops accepting it once revoked', async () => {
      const created = expectStatus(
        await h.admin('POST', `/admin/companies/${acme.companyId}/keys`, { scopes: ['booking'], name: 'app' }),
        201,
      );
      expect(created.key).toMatch(/^qb_pub_/);
      const keys = expectStatus(await h.admin('GET', `/admin/companies/${acme.companyId}/keys`), 200);
      const listed = keys.find((k: any) => k.id === created.id);
      expect(listed).toMatchObject({ name: 'app', scopes: ['booking'], prefix: created.key.slice(0, 12), revokedAt: null });
      expect(JSON.stringify(keys)).not.toContain(created.key);
      const stored = await h.db.selectFrom('api_keys').select('key_hash').where('id', '=', created.id).executeTakeFirstOrThrow();
      expect(stored.key_hash).not.toContain(created.key);
      expect((await h.call('GET', '/v2/places', { key: created.key })).status).toBe(200);
      expect((await h.admin('DELETE', `/admin/companies/${acme.companyId}/keys/${created.id}`)).status).toBe(204);
      expect((await h.call('GET', '/v2/places', { key: created.key })).status).toBe(401);
    });

    it('rejects unknown scopes and empty scope lists', async () => {
      expect((await h.admin('POST', `/admin/companies/${acme.companyId}/keys`, { scopes: ['root'] })).status).toBe(400);
      expect((await h.admin('POST', `/admin/companies/${acme.companyId}/keys`, { scopes: [] })).status).toBe(400);
    });
  });

  describe('places, queues, counters', () => {
    it('creates, reads, changes and deletes a place', async () => {
      const place = expectStatus(
        await h.admin('POST', `/admin/companies/${acme.companyId}/places`, { name: 'Lyon', timeZone: 'Europe/Paris' }),
        201,
      );
      expect(place).toMatchObject({ name: 'Lyon', timeZone: 'Europe/Paris', lang: 'en_US', companyId: acme.companyId });
      expect(expectStatus(await h.admin('PATCH', `/admin/places/${place.id}`, { lang: 'fr_FR' }), 200).lang).toBe('fr_FR');
      expect(expectStatus(await h.admin('GET', `/admin/places/${place.id}`), 200).lang).toBe('fr_FR');
      expect((await h.admin('DELETE', `/admin/places/${place.id}`)).status).toBe(204);
      expect((await h.admin('GET', `/admin/places/${place.id}`)).status).toBe(404);
    });

    it('rejects an unknown time zone with a 400', async () => {
      const reply = await h.admin('POST', `/admin/companies/${acme.companyId}/places`, { name: 'Nowhere', timeZone: 'Mars/Olympus' });
      expect(reply.status).toBe(400);
      expect(reply.body.error.message).toContain('Mars/Olympus');
    });

    it('merges queue settings on change and rejects unknown settings', async () => {
      const queue = expectStatus(
        await h.admin('POST', `/admin/places/${acme.placeId}/queues`, { name: 'Returns', settings: { alertThreshold: 3 } }),
        201,
      );
      expect(queue.labelPrefix).toBe('R');
      expect(queue.settings).toMatchObject({ alertPositions: [3], onHoldTimeoutMinutes: 10 });
      const changed = expectStatus(await h.admin('PATCH', `/admin/queues/${queue.id}`, { settings: { onHoldTimeoutMinutes: 5 } }), 200);
      expect(changed.settings).toMatchObject({ alertPositions: [3], onHoldTimeoutMinutes: 5 });
      const bad = await h.admin('PATCH', `/admin/queues/${queue.id}`, { settings: { alertThreshhold: 1 } });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain('alertThreshhold');
      expect((await h.admin('PATCH', `/admin/queues/${queue.id}`, { settings: { minGroupSize: 0 } })).status).toBe(400);
    });

    it('lets a counter serve only queues of its own place', async () => {
      const reply = await h.admin('POST', `/admin/places/${acme.placeId}/endpoints`, { name: 'Rogue', queueIds: [globex.queueId] });
      expect(reply.status).toBe(404);
      expect(reply.body.error.code).toBe('QUEUE_NOT_FOUND');
      const endpoint = expectStatus(
        await h.admin('PATCH', `/admin/endpoints/${acme.secondEndpointId}`, { queueIds: [acme.secondQueueId] }),
        200,
      );
      expect(endpoint.queueIds).toEqual([acme.secondQueueId]);
      const listed = expectStatus(await h.admin('GET', `/admin/places/${acme.placeId}/endpoints`), 200);
      expect(listed.find((e: any) => e.id === acme.endpointId).queueIds.sort()).toEqual([acme.queueId, acme.secondQueueId].sort());
      expectStatus(await h.admin('PATCH', `/admin/endpoints/${acme.secondEndpointId}`, { queueIds: [acme.queueId] }), 200);
    });
  });

  describe('operators', () => {
    it('stores passwords with scrypt, never returns them, and refuses a duplicate login', async () => {
      const operator = expectStatus(
        await h.admin('POST', `/admin/companies/${acme.companyId}/operators`, {
          loginId: 'bob',
          password: 'hunter2hunter2',
          roles: { allowedStates: [200, 500, 700], recall: false, manageCounter: true },
        }),
        201,
      );
      expect(operator).not.toHaveProperty('password');
      expect(JSON.stringify(operator)).not.toContain('hunter2');
      const row = await h.db.selectFrom('operators').select('password_hash').where('id', '=', operator.id).executeTakeFirstOrThrow();
      expect(row.password_hash).toMatch(/^scrypt\$/);
      const duplicate = await h.admin('POST', `/admin/companies/${acme.companyId}/operators`, {
        loginId: 'bob',
        password: 'another-password',
      });
      expect(duplicate.status).toBe(409);
      expect(duplicate.body.error.code).toBe('LOGIN_ID_TAKEN');
      // The same login in another company is another operator.
      expect(
        (await h.admin('POST', `/admin/companies/${globex.companyId}/operators`, { loginId: 'bob', password: 'another-password' })).status,
      ).toBe(201);
    });

    it('rejects a short password and a role with an unknown state', async () => {
      expect((await h.admin('POST', `/admin/companies/${acme.companyId}/operators`, { loginId: 'carl', password: 'short' })).status).toBe(
        400,
      );
      expect(
        (
          await h.admin('POST', `/admin/companies/${acme.companyId}/operators`, {
            loginId: 'carl',
            password: 'long enough',
            roles: { allowedStates: [150], recall: true, manageCounter: true },
          })
        ).status,
      ).toBe(400);
    });
  });

  describe('webhook destinations', () => {
    it('returns a whsec_ secret once and keeps it sealed at rest', async () => {
      const created = expectStatus(
        await h.admin('POST', `/admin/companies/${acme.companyId}/webhooks`, {
          url: 'https://push.example.com/in',
          actions: ['TICKET_CALLED'],
        }),
        201,
      );
      expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
      const read = expectStatus(await h.admin('GET', `/admin/webhooks/${created.id}`), 200);
      expect(read).not.toHaveProperty('secret');
      const row = await h.db.selectFrom('webhooks').select('secrets').where('id', '=', created.id).executeTakeFirstOrThrow();
      expect(row.secrets).not.toContain(created.secret.slice(6));
    });

    it('accepts only http(s) URLs without credentials and known actions', async () => {
      for (const url of ['ftp://example.com/x', 'not a url', 'https://user:pw@example.com/']) {
        const reply = await h.admin('POST', `/admin/companies/${acme.companyId}/webhooks`, { url });
        expect(reply.status, url).toBe(400);
        expect(reply.body.error.code).toBe('UNSAFE_URL');
      }
      expect(
        (await h.admin('POST', `/admin/companies/${acme.companyId}/webhooks`, { url: 'https://x.example/', actions: ['TICKET_EXPLODED'] }))
          .status,
      ).toBe(400);
    });
  });

  describe('hostile input', () => {
    it('answers malformed, wrongly typed and oversized bodies with a 4xx in the error shape', async () => {
      const cases = [
        await h.call('POST', '/admin/companies', { token: 'test-admin-token-0123456789', raw: '{"name":' }),
        await h.admin('POST', '/admin/companies', { name: 42 }),
        await h.admin('POST', '/admin/companies', { name: '' }),
        await h.admin('POST', '/admin/companies', { name: 'x'.repeat(70_000) }),
        await h.admin('POST', '/admin/companies', ['array']),
        await h.admin('GET', '/admin/places/%00%27;drop table places'),
        await h.admin('GET', `/admin/places/${'x'.repeat(100)}`),
      ];
      for (const reply of cases) {
        expect(reply.status).toBeGreaterThanOrEqual(400);
        expect(reply.status).toBeLessThan(500);
        expect(reply.body.error.code).toMatch(/^[A-Z_]+$/);
      }
      expect((await h.admin('GET', '/admin/companies')).status).toBe(200);
    });
  });
});
