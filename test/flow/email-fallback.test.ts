/**
 * Fallback by e-mail, and the order of the fallback channels (docs/design.md §Fallback), across both
 * services with a real SMTP server: the person who agreed to it gets the push's text by e-mail when the
 * push does not reach them — once, on the queue's first channel they agreed to, never without consent —
 * and a fallback whose provider is down is retried within the push's deadline, then expired with its reason.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TWILIO_ERRORS } from '../../src/fakes/sms/control.js';
import { describeEachEngine } from '../support/engines.js';
import { parseMail } from '../support/smtp.js';
import { ADMIN_TOKEN, eventually, startFallbackStack, type FallbackStack } from './support.js';

let tokens = 0;
const apnsToken = () => (++tokens).toString(16).padStart(64, 'e');

describeEachEngine('fallback by e-mail across both services', (engine) => {
  let s: FallbackStack;
  beforeAll(async () => {
    s = await startFallbackStack(engine);
  });
  afterAll(() => s.close());

  const unique = () => `${Date.now()}${++tokens}`;
  const mailOf = () => `person${unique()}@example.test`;
  const phoneOf = () => `+336${String(10_000_000 + (Date.now() % 80_000_000) + ++tokens).slice(-8)}`;

  async function book(body: Record<string, unknown>) {
    const reply = await s.queue('POST', `/v2/queues/${s.queueId}/ticket`, { key: s.serverKey, body: { sendClientPush: true, ...body } });
    expect(reply.status).toBe(201);
    return reply.body;
  }
  const cancel = async (ticketId: string) =>
    expect(
      (await s.queue('PUT', `/v2/endpoints/${s.endpointId}/tickets/${ticketId}/state`, { key: s.operatorKey, body: { state: 600 } }))
        .status,
    ).toBe(200);
  const settings = async (patch: Record<string, unknown>) =>
    expect((await s.queue('PATCH', `/admin/queues/${s.queueId}`, { token: ADMIN_TOKEN, body: { settings: patch } })).status).toBe(200);
  const called = (t: any) => t.changes.find((c: any) => c.action === 'TICKET_CALLED');
  const pushOf = (t: any) => called(t).messages.find((m: any) => m.channel === 'webhook');
  const mailsTo = (address: string) => s.smtp.mails.filter((m) => m.to.includes(address));
  const decided = (ticketId: string) =>
    eventually(
      () => s.timeline(ticketId),
      (t) => pushOf(t)?.fallback != null,
      10_000,
    );

  it('takes the consent as true or "true", and refuses it without an e-mail address', async () => {
    const refused = await s.queue('POST', `/v2/queues/${s.queueId}/ticket`, {
      key: s.serverKey,
      body: { pushId: `pid_x_${unique()}`, sendClientPush: true, emailFallback: true },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'MISSING_FIELD', details: { field: 'userData.mail' } });
    const ticket = await book({ pushId: `pid_x_${unique()}`, emailFallback: 'true', userData: { mail: mailOf() } });
    expect(ticket.notifications).toMatchObject({ emailFallback: true, smsFallback: false });
    await cancel(ticket.ticketId);
  });

  it('e-mails at once when the pushId is unknown, once, and the timeline says by which channel', async () => {
    const mail = mailOf();
    const ticket = await book({ pushId: `pid_unknown_${unique()}`, emailFallback: true, userData: { mail } });
    await s.callNext();
    await eventually(
      async () => mailsTo(mail),
      (mails) => mails.length === 1,
    );
    const { headers, text } = parseMail(mailsTo(mail)[0]!.raw);
    expect(text).toContain('please go to Counter 1');
    expect(headers.subject).toContain(ticket.label);
    const t = await eventually(
      () => s.timeline(ticket.ticketId),
      (t) => called(t)?.reach.reached === true,
    );
    expect(pushOf(t).fallback).toMatchObject({
      decision: 'sent',
      reason: 'unknown_push_id',
      channel: 'email',
      skipped: [{ channel: 'sms', reason: 'no_consent' }],
    });
    const sent = called(t).messages.find((m: any) => m.id === pushOf(t).fallback.fallbackMessageId);
    expect(sent).toMatchObject({ channel: 'email', recipient: mail, status: 'delivered' });
    expect(called(t).reach).toMatchObject({ reached: true, channel: 'email' });
    // The wait passing later does not mail again.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(mailsTo(mail)).toHaveLength(1);
  });

  it('e-mails after the wait when no receipt says pushed, and a late push does not mail again', async () => {
    const token = apnsToken();
    const device = (
      await s.push('POST', `/v1/apps/${s.appId}/devices`, {
        headers: { 'x-app-key': s.appKey },
        body: { provider: 'apns', token, environment: 'production' },
      })
    ).body;
    const mail = mailOf();
    const ticket = await book({ pushId: device.pushId, emailFallback: true, userData: { mail } });
    await s.fakes.apns.control.waitFor(1, (d) => d.token === token);
    s.fakes.apns.control.respond(token, { status: 503, reason: 'ServiceUnavailable', times: 3 });
    await s.callNext();
    await eventually(
      async () => mailsTo(mail),
      (mails) => mails.length === 1,
      10_000,
    );
    await s.fakes.apns.control.waitFor(2, (d) => d.token === token, 20_000);
    const t = await eventually(
      () => s.timeline(ticket.ticketId),
      (t) => pushOf(t)?.receipts.length === 1,
      20_000,
    );
    expect(pushOf(t).receipts[0].outcome).toBe('pushed');
    expect(pushOf(t).fallback).toMatchObject({ decision: 'sent', reason: 'no_receipt_in_time', channel: 'email' });
    expect(mailsTo(mail)).toHaveLength(1);
  });

  it("uses the queue's first channel the person agreed to, and nothing without consent", async () => {
    const [phone, mail] = [phoneOf(), mailOf()];
    const both = await book({ pushId: `pid_unknown_${unique()}`, smsFallback: true, emailFallback: true, userData: { phone, mail } });
    await s.callNext();
    expect(pushOf(await decided(both.ticketId)).fallback).toMatchObject({ decision: 'sent', channel: 'sms', skipped: [] });
    await settings({ fallbackChannels: ['email', 'sms'] });
    const [phone2, mail2] = [phoneOf(), mailOf()];
    const emailFirst = await book({
      pushId: `pid_unknown_${unique()}`,
      smsFallback: true,
      emailFallback: true,
      userData: { phone: phone2, mail: mail2 },
    });
    await s.callNext();
    expect(pushOf(await decided(emailFirst.ticketId)).fallback).toMatchObject({ decision: 'sent', channel: 'email' });
    await settings({ fallbackChannels: ['sms'] });
    const mail3 = mailOf();
    const notOffered = await book({ pushId: `pid_unknown_${unique()}`, emailFallback: true, userData: { mail: mail3 } });
    const mail4 = mailOf();
    const unconsenting = await book({ pushId: `pid_unknown_${unique()}`, userData: { mail: mail4 } });
    await s.callNext();
    await s.callNext();
    // The queue's channels are read when the fallback is decided: keep them until the wait is over.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    await s.sms.control.waitFor(1, (m) => m.to === phone);
    await eventually(
      async () => mailsTo(mail2),
      (mails) => mails.length === 1,
    );
    expect(s.sms.control.received.filter((m) => m.to === phone2)).toEqual([]);
    expect(mailsTo(mail)).toEqual([]);
    expect(mailsTo(mail3)).toEqual([]);
    expect(mailsTo(mail4)).toEqual([]);
    expect(pushOf(await s.timeline(notOffered.ticketId)).fallback).toBeNull();
    expect(pushOf(await s.timeline(unconsenting.ticketId)).fallback).toBeNull();
    await settings({ fallbackChannels: ['sms', 'email'] });
  });

  it('retries a fallback whose provider is down within the deadline, then expires it with its reason (SMS and e-mail)', async () => {
    await settings({ deliverBySeconds: { TICKET_CALLED: 6 } });
    const phone = phoneOf();
    s.sms.control.respond(phone, TWILIO_ERRORS.unavailable);
    const bySms = await book({ pushId: `pid_unknown_${unique()}`, smsFallback: true, userData: { phone } });
    await s.callNext();
    const mail = mailOf();
    const byMail = await book({ pushId: `pid_unknown_${unique()}`, emailFallback: true, userData: { mail } });
    s.smtpRefuse.set(mail, { code: 451, message: 'Try again later' });
    await s.callNext();
    await settings({ deliverBySeconds: {} });
    for (const [ticket, channel] of [
      [bySms, 'sms'],
      [byMail, 'email'],
    ] as const) {
      const t = await eventually(
        () => s.timeline(ticket.ticketId),
        (t) => called(t).messages.find((m: any) => m.channel === channel)?.status === 'expired',
        20_000,
      );
      expect(pushOf(t).fallback).toMatchObject({ decision: 'sent', channel });
      const fallback = called(t).messages.find((m: any) => m.channel === channel);
      expect(fallback.attempts.length).toBeGreaterThanOrEqual(2);
      expect(fallback.attempts.every((a: any) => a.outcome.startsWith('retry_later'))).toBe(true);
      expect(fallback.lastError).toMatch(/no retry fits before the deadline|deadline passed before delivery/);
      expect(called(t).reach).toMatchObject({ reached: false });
    }
    expect(s.sms.control.received.filter((m) => m.to === phone)).toEqual([]);
    expect(mailsTo(mail)).toEqual([]);
    s.sms.control.clearRules();
  });

  // Last: the push server stays down for the rest of the file.
  it('e-mails on time when the push server is down (no receipt needed)', async () => {
    await s.stopPush();
    const mail = mailOf();
    const ticket = await book({ pushId: `pid_any_${unique()}`, emailFallback: true, userData: { mail } });
    await s.callNext();
    await eventually(
      async () => mailsTo(mail),
      (mails) => mails.length === 1,
      10_000,
    );
    const t = await s.timeline(ticket.ticketId);
    expect(pushOf(t).status).not.toBe('delivered');
    expect(pushOf(t).receipts).toEqual([]);
    expect(pushOf(t).fallback).toMatchObject({ decision: 'sent', reason: 'no_receipt_in_time', channel: 'email' });
  });
});
