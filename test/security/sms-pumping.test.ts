/**
 * SMS and e-mail that cannot be pumped (docs/security.md §SMS and e-mail): SMS only to the
 * company's countries, caps per number and per company with refused sends recorded and counted,
 * and one-time codes where a queue asks for proven contacts.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../support/engines.js';
import { QueueHarness, expectStatus } from '../queue-service/support/harness.js';
import { book, createUser, setUpCompany, type TestCompany } from '../queue-service/support/company.js';

describeEachEngine('SMS and e-mail limits', (engine) => {
  let h: QueueHarness;
  beforeAll(async () => {
    h = await QueueHarness.start(engine);
  });
  afterAll(() => h.close());

  const smsRows = (co: TestCompany) =>
    h.db
      .selectFrom('messages')
      .select(['status', 'refused_reason', 'recipient', 'body'])
      .where('company_id', '=', co.companyId)
      .where('channel', '=', 'sms')
      .orderBy('id')
      .execute();

  it("sends SMS only to the countries of the company's places unless the company lists others", async () => {
    const co = await setUpCompany(h, 'Countries');
    const us = { sendClientSms: true, userData: { phone: '+12025550123' } };
    const refused = await book(h, co, (await createUser(h, co)).token, us);
    expect([refused.status, refused.body.error.code, refused.body.error.details?.field]).toEqual([
      400,
      'SMS_COUNTRY_NOT_ALLOWED',
      'userData.phone',
    ]);
    const limits = expectStatus(await h.admin('GET', `/admin/companies/${co.companyId}/notificationLimits`), 200);
    expect(limits).toMatchObject({ smsCountries: null, smsCountriesInForce: ['FR'], smsPerNumberPerHour: 20 });
    expectStatus(await h.admin('PATCH', `/admin/companies/${co.companyId}/notificationLimits`, { smsCountries: ['FR', 'US'] }), 200);
    expectStatus(await book(h, co, (await createUser(h, co)).token, us), 201);
    expectStatus(await book(h, co, (await createUser(h, co)).token, { sendClientSms: true, userData: { phone: '+33612345678' } }), 201);
    expect((await smsRows(co)).map((row) => row.status)).toEqual(['pending', 'pending']);
  });

  it('refuses sends past the per-company and per-number caps, records why, and counts them in /metrics', async () => {
    const co = await setUpCompany(h, 'Caps');
    expectStatus(
      await h.admin('PATCH', `/admin/companies/${co.companyId}/notificationLimits`, { smsPerCompanyPerHour: 3, smsPerNumberPerHour: 1 }),
      200,
    );
    for (let i = 0; i < 5; i++) {
      const phone = `+3361234560${i}`;
      expectStatus(await book(h, co, (await createUser(h, co)).token, { sendClientSms: true, userData: { phone } }), 201);
    }
    const rows = await smsRows(co);
    expect(rows.map((row) => [row.status, row.refused_reason])).toEqual([
      ['pending', null],
      ['pending', null],
      ['pending', null],
      ['failed', 'company_hourly_cap'],
      ['failed', 'company_hourly_cap'],
    ]);
    // The same number again, in the second queue: over its own hourly cap.
    expectStatus(
      await book(h, co, (await createUser(h, co)).token, { sendClientSms: true, userData: { phone: '+33612345600' } }, co.secondQueueId),
      201,
    );
    expect((await smsRows(co)).at(-1)).toMatchObject({ status: 'failed', refused_reason: 'recipient_hourly_cap' });
    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    expect(metrics).toMatch(/queuebell_notifications_refused_last_day\{channel="sms",reason="company_hourly_cap"[^}]*\} [2-9]/);
    // An hour later the company may send again.
    h.clock.advance(3_600_001);
    expectStatus(await book(h, co, (await createUser(h, co)).token, { sendClientSms: true, userData: { phone: '+33699999999' } }), 201);
    expect((await smsRows(co)).at(-1)).toMatchObject({ status: 'pending', refused_reason: null });
  });

  it('asks for a proven phone or mail where the queue requires it, with a one-time code', async () => {
    const co = await setUpCompany(h, 'Proven', { contactVerificationRequired: true });
    const user = await createUser(h, co);
    const sms = { sendClientSms: true, userData: { phone: '+33612345678' } };
    const unproven = await book(h, co, user.token, sms);
    expect([unproven.status, unproven.body.error.code, unproven.body.error.details]).toEqual([
      403,
      'CONTACT_NOT_VERIFIED',
      { field: 'userData.phone' },
    ]);
    // Push only needs no proof.
    const verify = (body: Record<string, unknown>) =>
      h.call('POST', '/v2/user/contacts/verify', { key: co.bookingKey, token: user.token, body });
    const sent = await verify({ queueId: co.queueId, phone: '+33612345678' });
    expect([sent.status, sent.body.status]).toEqual([202, 'sent']);
    const code = /(\d{6})/.exec(JSON.parse((await smsRows(co)).at(-1)!.body).text)![1]!;
    const wrong = await verify({ queueId: co.queueId, phone: '+33612345678', code: code === '000000' ? '111111' : '000000' });
    expect([wrong.status, wrong.body.error.details]).toEqual([400, { field: 'code' }]);
    expect((await verify({ queueId: co.queueId, phone: '+33612345678', code })).body).toEqual({ status: 'verified' });
    expectStatus(await book(h, co, user.token, sms), 201);
    // Another user has not proven that number.
    const other = await createUser(h, co);
    expect((await book(h, co, other.token, sms, co.secondQueueId)).status).toBe(403);
  });

  it('limits the codes sent to one number and refuses codes to countries the company does not serve', async () => {
    const co = await setUpCompany(h, 'Codes', { contactVerificationRequired: true });
    const user = await createUser(h, co);
    const verify = (phone: string) =>
      h.call('POST', '/v2/user/contacts/verify', { key: co.bookingKey, token: user.token, body: { queueId: co.queueId, phone } });
    for (let i = 0; i < 3; i++) expect((await verify('+33698765432')).status).toBe(202);
    const over = await verify('+33698765432');
    expect([over.status, over.body.error.code]).toEqual([429, 'RATE_LIMITED']);
    expect((await verify('+12025550123')).body.error.code).toBe('SMS_COUNTRY_NOT_ALLOWED');
  });
});
