/**
 * Token spelling (docs/design.md §Credentials): a JWT signature is accepted only in the one
 * canonical base64url form we produce, and the Bearer scheme is case-insensitive on both services.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signJwt, verifyJwt } from '../../src/platform/jwt.js';
import { describeEachEngine } from '../support/engines.js';
import { QueueHarness } from '../queue-service/support/harness.js';
import { loginOperator, setUpCompany, type TestCompany } from '../queue-service/support/company.js';

const key = new Uint8Array(32).fill(7);
const now = 1_800_000_000;
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

describe('JWT signatures', () => {
  const token = signJwt({ sub: 'usr_1', exp: now + 60 }, key);

  it('refuses a signature with base64 padding appended', () => {
    expect(verifyJwt(token, key, now)).not.toBeNull();
    expect(verifyJwt(`${token}=`, key, now)).toBeNull();
  });

  it('refuses a signature whose last character differs only in bits the decoder ignores', () => {
    // 32 bytes are 43 characters; the last one carries 4 bits, so its 2 low bits are free.
    const last = token.at(-1)!;
    const index = BASE64URL.indexOf(last);
    const sibling = BASE64URL[index ^ 1]!;
    const variant = token.slice(0, -1) + sibling;
    expect(Buffer.from(variant.split('.')[2]!, 'base64url')).toEqual(Buffer.from(token.split('.')[2]!, 'base64url'));
    expect(verifyJwt(variant, key, now)).toBeNull();
  });

  it("refuses a signature spelled in standard base64 ('+' and '/')", () => {
    let spelled = signJwt({ sub: 'usr_1', exp: now + 60, n: 0 }, key);
    for (let n = 1; !/[-_]/.test(spelled.split('.')[2]!); n++) spelled = signJwt({ sub: 'usr_1', exp: now + 60, n }, key);
    const standard = spelled.replace(/[^.]+$/, (s) => s.replaceAll('-', '+').replaceAll('_', '/'));
    expect(verifyJwt(spelled, key, now)).not.toBeNull();
    expect(verifyJwt(standard, key, now)).toBeNull();
  });
});

describeEachEngine('the Bearer scheme at the queue service', (engine) => {
  let h: QueueHarness;
  let company: TestCompany;
  beforeAll(async () => {
    h = await QueueHarness.start(engine);
    company = await setUpCompany(h);
  });
  afterAll(() => h.close());

  it("accepts 'bearer' in lower case for an operator token and the admin token", async () => {
    const token = await loginOperator(h, company);
    const asOperator = await h.call('GET', `/v2/endpoints/${company.endpointId}`, { headers: { authorization: `bearer ${token}` } });
    const asAdmin = await h.call('GET', `/admin/companies/${company.companyId}`, {
      headers: { authorization: 'BEARER test-admin-token-0123456789' },
    });
    expect([asOperator.status, asAdmin.status]).toEqual([200, 200]);
  });

  it('takes an API key as sent, never its stored hash, however long, before and after the key was used', async () => {
    const hashOf = (key: string) => createHash('sha256').update(key).digest('hex');
    const long = `${company.bookingKey}${'x'.repeat(200)}`;
    const statuses = async () =>
      Promise.all(
        [company.bookingKey, hashOf(company.bookingKey), long, hashOf(long)].map(
          async (key) => (await h.call('POST', '/v2/users', { key })).status,
        ),
      );
    expect(await statuses()).toEqual([201, 401, 401, 401]);
    expect(await statuses()).toEqual([201, 401, 401, 401]);
  });
});
