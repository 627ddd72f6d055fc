/**
 * Lineberty's server-side authentication, tried as an integrator's server would from the
 * documentation (docs/lineberty/auth.md): a key file from the admin API, an RS256 JWT signed with
 * `jose` from that file alone, GET /v2/api_key, then users and their sessions.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { SignJWT, decodeJwt, importPKCS8 } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerQueueAdminCommands } from '../../../src/cli/queue-admin-commands.js';
import { buildQueueApp } from '../../../src/queue-service/app.js';
import { describeEachEngine } from '../../support/engines.js';
import { ADMIN_TOKEN, QueueHarness, expectStatus } from '../support/harness.js';
import { setUpCompany, type TestCompany } from '../support/company.js';
import { SseClient } from '../streams/support/sse-client.js';

interface KeyFile {
  type: string;
  project_id: string;
  private_key_id: string;
  private_key: string;
  client_email: string;
  client_id: string;
  auth_uri: string;
  token_uri: string;
}

const HOUR = 3600;

describeEachEngine('Lineberty authentication: service accounts, API keys, user sessions', (engine) => {
  let h: QueueHarness;
  let co: TestCompany;
  let keyFile: KeyFile;

  beforeAll(async () => {
    h = await QueueHarness.start(engine);
    co = await setUpCompany(h, 'Integrator Co');
    keyFile = expectStatus(await h.admin('POST', `/admin/companies/${co.companyId}/service-accounts`, { name: 'backend' }), 201);
  });
  afterAll(() => h.close());

  const nowSeconds = () => Math.floor(h.clock.now() / 1000);

  /** What Lineberty's get_apikey page tells the server to sign (its sample server sends no kid). */
  async function serverJwt(
    file: KeyFile = keyFile,
    claims: Record<string, unknown> = {},
    header: Record<string, unknown> = { alg: 'RS256', typ: 'JWT' },
  ): Promise<string> {
    const iat = nowSeconds();
    const payload = {
      iat,
      exp: iat + HOUR,
      aud: 'https://api-booking.lineberty.net',
      iss: file.client_email,
      sub: 'MyCompany',
      email: file.client_email,
      ...claims,
    };
    return new SignJWT(payload).setProtectedHeader(header as { alg: string }).sign(await importPKCS8(file.private_key, 'RS256'));
  }

  const getApiKey = async (token: string) => h.call('GET', '/v2/api_key', { token });
  const places = (key: string) => h.call('GET', `/v2/places?key=${encodeURIComponent(key)}`);

  describe('the key file and GET /v2/api_key', () => {
    it('hands out a key file shaped like Lineberty’s, once, and keeps only the public key', async () => {
      expect(keyFile).toMatchObject({ type: 'service_account', project_id: co.companyId });
      expect(keyFile.private_key).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
      expect(keyFile.client_email).toMatch(/^[^@\s]+@[^@\s]+$/);
      expect(keyFile.client_id).toMatch(/^\d{21}$/);
      expect(keyFile.private_key_id).toMatch(/^[0-9a-f]{40}$/);
      expect(new URL(keyFile.token_uri).pathname).toBe('/v2/api_key');
      expect(new URL(keyFile.auth_uri).origin).toBe(h.url);

      const listed = expectStatus(await h.admin('GET', `/admin/companies/${co.companyId}/service-accounts`), 200);
      expect(listed).toEqual([
        expect.objectContaining({ clientEmail: keyFile.client_email, privateKeyId: keyFile.private_key_id, scopes: ['booking'] }),
      ]);
      const stored = await h.db.selectFrom('service_accounts').selectAll().execute();
      const everything = JSON.stringify({ listed, stored });
      expect(everything).not.toContain('PRIVATE KEY');
      expect(everything).not.toContain(keyFile.private_key.split('\n')[1]);
    });

    it('answers {apiKey} for a JWT signed as Lineberty’s sample server does, and the key works as ?key=', async () => {
      const reply = await getApiKey(await serverJwt());
      expect(reply.status).toBe(200);
      expect(typeof reply.body.apiKey).toBe('string');
      expect((await places(reply.body.apiKey)).status).toBe(200);
      // With the kid the key file names: the same current key.
      const withKid = await getApiKey(await serverJwt(keyFile, {}, { alg: 'RS256', typ: 'JWT', kid: keyFile.private_key_id }));
      expect(withKid.body.apiKey).toBe(reply.body.apiKey);
    });

    it('rotates the key after a day and keeps an expired key working 24 hours more', async () => {
      const first = expectStatus(await getApiKey(await serverJwt()), 200).apiKey as string;
      h.clock.advance(24 * HOUR * 1000 + 1000);
      const second = expectStatus(await getApiKey(await serverJwt()), 200).apiKey as string;
      expect(second).not.toBe(first);
      expect((await places(first)).status).toBe(200);
      h.clock.advance(24 * HOUR * 1000);
      expect((await places(first)).status).toBe(401);
      expect((await places(second)).status).toBe(200);
    });

    it('refuses every JWT Lineberty’s rules refuse, with 401 INVALID_SERVER_JWT', async () => {
      const { privateKey: otherKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const otherPem = otherKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      const now = nowSeconds();
      const cases: Record<string, string> = {
        'wrong signature': await serverJwt({ ...keyFile, private_key: otherPem }),
        'unknown kid': await serverJwt(keyFile, {}, { alg: 'RS256', kid: 'f'.repeat(40) }),
        'unknown issuer': await serverJwt(keyFile, { iss: 'someone@else.example', email: 'someone@else.example' }),
        expired: await serverJwt(keyFile, { iat: now - 2 * HOUR, exp: now - HOUR }),
        'iat in the future': await serverJwt(keyFile, { iat: now + 600, exp: now + 600 + HOUR }),
        'exp more than an hour after iat': await serverJwt(keyFile, { exp: now + 2 * HOUR }),
        'email of another account': await serverJwt(keyFile, { email: 'someone@else.example' }),
        'HS256 instead of RS256': await new SignJWT({ iat: now, exp: now + HOUR, iss: keyFile.client_email, sub: 'x', aud: 'y' })
          .setProtectedHeader({ alg: 'HS256' })
          .sign(new TextEncoder().encode('a shared secret of thirty-two bytes!')),
        'not a JWT': 'not.a.jwt',
      };
      for (const [why, token] of Object.entries(cases)) {
        const reply = await getApiKey(token);
        expect({ why, status: reply.status, code: reply.body?.error?.code }).toEqual({ why, status: 401, code: 'INVALID_SERVER_JWT' });
      }
      expect((await h.call('GET', '/v2/api_key')).status).toBe(401);
    });

    it('gives the key the service account’s scopes, and revoking the account stops its JWTs and keys', async () => {
      const file: KeyFile = expectStatus(
        await h.admin('POST', `/admin/companies/${co.companyId}/service-accounts`, { scopes: ['operator'] }),
        201,
      );
      const apiKey = expectStatus(await getApiKey(await serverJwt(file)), 200).apiKey as string;
      expect((await places(apiKey)).status).toBe(403);
      expect((await h.call('GET', `/v2/endpoints/${co.endpointId}`, { key: apiKey })).status).toBe(200);

      const [account] = (await h.admin('GET', `/admin/companies/${co.companyId}/service-accounts`)).body.filter(
        (a: { clientEmail: string }) => a.clientEmail === file.client_email,
      );
      expect((await h.admin('DELETE', `/admin/companies/${co.companyId}/service-accounts/${account.id}`)).status).toBe(204);
      expect((await getApiKey(await serverJwt(file))).status).toBe(401);
      expect((await h.call('GET', `/v2/endpoints/${co.endpointId}`, { key: apiKey })).status).toBe(401);
    });

    it('is created from the CLI into a file only its owner can read', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'queuebell-keyfile-'));
      try {
        const out = join(dir, 'key.json');
        const program = new Command('queuebell').exitOverride();
        registerQueueAdminCommands(program);
        const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
        try {
          await program.parseAsync(
            [
              'service-account',
              'create',
              '--company',
              co.companyId,
              '--scopes',
              'booking,server',
              '--out',
              out,
              '--url',
              h.url,
              '--token',
              ADMIN_TOKEN,
            ],
            { from: 'user' },
          );
        } finally {
          write.mockRestore();
        }
        expect(statSync(out).mode & 0o777).toBe(0o600);
        const file = JSON.parse(readFileSync(out, 'utf8')) as KeyFile;
        expect(file.type).toBe('service_account');
        expect((await getApiKey(await serverJwt(file))).status).toBe(200);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('users and their sessions', () => {
    const tickets = (token: string) => h.call('GET', '/v2/user/tickets', { key: co.bookingKey, token });

    it('creates a user (POST, and GET as the sample server sends it) whose token carries userId, jti and exp', async () => {
      for (const method of ['POST', 'GET']) {
        const reply = await h.call(method, '/v2/users', { token: await serverJwt() });
        expect(reply.status).toBe(method === 'POST' ? 201 : 200);
        const claims = decodeJwt(reply.body.jwtToken);
        expect(claims.userId).toBe(reply.body.userId);
        expect(typeof claims.jti).toBe('string');
        expect(claims.exp).toBeGreaterThan(nowSeconds());
        expect((await tickets(reply.body.jwtToken)).status).toBe(200);
      }
    });

    it('logs a user in to a new session, refreshes it, and ending it revokes every token of it', async () => {
      const created = expectStatus(await h.call('POST', '/v2/users', { token: await serverJwt() }), 201);
      const userId = created.userId as string;
      const login = expectStatus(await h.call('GET', `/v2/users/${userId}/login`, { token: await serverJwt() }), 200);
      const sessionId = decodeJwt(login.jwtToken).jti as string;
      expect(sessionId).not.toBe(decodeJwt(created.jwtToken).jti);

      h.clock.advance(60_000);
      const refreshed = expectStatus(
        await h.call('GET', `/v2/users/${userId}/session/${sessionId}/refreshToken`, { token: await serverJwt() }),
        200,
      );
      expect(decodeJwt(refreshed.jwtToken)).toMatchObject({ userId, jti: sessionId });
      expect(decodeJwt(refreshed.jwtToken).exp).toBeGreaterThan(decodeJwt(login.jwtToken).exp!);

      const ended = await h.call('DELETE', `/v2/users/${userId}/session/${sessionId}`, { token: await serverJwt() });
      expect(ended.status).toBe(204);
      for (const token of [login.jwtToken, refreshed.jwtToken]) expect((await tickets(token)).status).toBe(401);
      expect((await tickets(created.jwtToken)).status).toBe(200);
      const again = await h.call('GET', `/v2/users/${userId}/session/${sessionId}/refreshToken`, { token: await serverJwt() });
      expect(again.status).toBe(401);
    });

    it('lets a server key do what the server JWT does, and not the booking key or another company', async () => {
      const { userId } = expectStatus(await h.call('POST', '/v2/users', { key: co.bookingKey }), 201);
      expect((await h.call('GET', `/v2/users/${userId}/login`, { key: co.serverKey })).status).toBe(200);
      expect((await h.call('GET', `/v2/users/${userId}/login`, { key: co.bookingKey })).status).toBe(403);
      expect((await h.call('GET', `/v2/users/${userId}/login`)).status).toBe(401);
      const other = await setUpCompany(h, 'Other Co');
      const otherFile: KeyFile = expectStatus(await h.admin('POST', `/admin/companies/${other.companyId}/service-accounts`, {}), 201);
      const reply = await h.call('GET', `/v2/users/${userId}/login`, { token: await serverJwt(otherFile) });
      expect([reply.status, reply.body.error.code]).toEqual([404, 'USER_NOT_FOUND']);
      const session = await h.call('GET', `/v2/users/${userId}/session/ses_nope/refreshToken`, { key: co.serverKey });
      expect([session.status, session.body.error.code]).toEqual([404, 'SESSION_NOT_FOUND']);
    });

    it('keeps queuebell’s own flow: booking key creates, POST /v2/users/token renews in the same session, logout ends it', async () => {
      const created = expectStatus(await h.call('POST', '/v2/users', { key: co.bookingKey }), 201);
      const renewed = expectStatus(await h.call('POST', '/v2/users/token', { key: co.bookingKey, token: created.jwtToken }), 200);
      expect(decodeJwt(renewed.jwtToken).jti).toBe(decodeJwt(created.jwtToken).jti);
      expect((await h.call('POST', '/v2/user/logout', { key: co.bookingKey, token: renewed.jwtToken })).status).toBe(204);
      expect((await tickets(created.jwtToken)).status).toBe(401);
      expect((await tickets(renewed.jwtToken)).status).toBe(401);
      // An app sending its old user token along with the booking key still gets a new user.
      expect((await h.call('POST', '/v2/users', { key: co.bookingKey, token: renewed.jwtToken })).status).toBe(201);
    });

    it('is refused by another process once its cached session state expires (10 s)', async () => {
      // A second app on the same database has its own caches, as another process would.
      const other = await buildQueueApp(h.deps);
      await other.listen({ port: 0, host: '127.0.0.1' });
      try {
        const otherUrl = `http://127.0.0.1:${(other.server.address() as { port: number }).port}`;
        const elsewhere = (token: string) =>
          fetch(`${otherUrl}/v2/user/tickets`, { headers: { 'x-api-key': co.bookingKey, authorization: `Bearer ${token}` } });
        const created = expectStatus(await h.call('POST', '/v2/users', { token: await serverJwt() }), 201);
        expect((await elsewhere(created.jwtToken)).status).toBe(200);
        const sessionId = decodeJwt(created.jwtToken).jti as string;
        expect((await h.call('DELETE', `/v2/users/${created.userId}/session/${sessionId}`, { key: co.serverKey })).status).toBe(204);
        expect((await tickets(created.jwtToken)).status).toBe(401);
        h.clock.advance(10_001);
        expect((await elsewhere(created.jwtToken)).status).toBe(401);
      } finally {
        await other.close();
      }
    });

    it('closes the user’s open live stream when the session ends', async () => {
      const created = expectStatus(await h.call('POST', '/v2/users', { token: await serverJwt() }), 201);
      const stream = await SseClient.open(`${h.url}/v2/user/tickets/sse?key=${co.bookingKey}&token=${created.jwtToken}`);
      expect(stream.status).toBe(200);
      const sessionId = decodeJwt(created.jwtToken).jti as string;
      expect((await h.call('DELETE', `/v2/users/${created.userId}/session/${sessionId}`, { key: co.serverKey })).status).toBe(204);
      await stream.end();
      expect(stream.ended).toBe(true);
    });
  });
});
