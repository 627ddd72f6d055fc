import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { TWILIO_ERRORS } from '../../../src/fakes/sms/control.js';
import { startFakeSms, type FakeSmsProvider } from '../../../src/fakes/sms/server.js';
import { describeEachEngine } from '../../support/engines.js';
import { parseMail, startSmtp } from '../../support/smtp.js';
import { expectStatus } from '../support/harness.js';
import { inspect, messagesOf, startDelivery, type DeliverySetup } from './support/delivery.js';

describeEachEngine('SMS and e-mail delivery', (engine) => {
  let s: DeliverySetup;
  let sms: FakeSmsProvider;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  const refuse = new Map<string, { code: number; message: string }>();

  beforeAll(async () => {
    sms = await startFakeSms();
    smtp = await startSmtp(refuse);
    s = await startDelivery(engine, {
      QUEUEBELL_SMS_BASE_URL: sms.baseUrl,
      QUEUEBELL_SMS_ACCOUNT_SID: sms.accountSid,
      QUEUEBELL_SMS_AUTH_TOKEN: sms.authToken,
      QUEUEBELL_SMS_FROM: '+15005550006',
      QUEUEBELL_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      QUEUEBELL_MAIL_FROM: 'Acme queue <queue@acme.test>',
    });
  });
  afterAll(async () => {
    await s.close();
    await sms.close();
    await new Promise<void>((resolve) => smtp.server.close(() => resolve()));
  });
  beforeEach(() => {
    sms.control.clearRules();
    refuse.clear();
  });

  async function book(userData: Record<string, string>, channels: Record<string, boolean>) {
    const user = expectStatus(await s.h.call('POST', '/v2/users', { key: s.company.bookingKey }), 201);
    return expectStatus(
      await s.h.call('POST', `/v2/queues/${s.company.queueId}/ticket`, {
        key: s.company.bookingKey,
        token: user.jwtToken,
        body: { userData, ...channels, lang: 'en_US' },
      }),
      201,
    );
  }

  it('sends an SMS through the Twilio-compatible provider with the message text', async () => {
    const ticket = await book({ phone: '+33612345678' }, { sendClientSms: true });
    await s.dispatcher.drain();
    const [message] = await messagesOf(s, `ticketId=${ticket.ticketId}&channel=sms`);
    expect(message.status).toBe('delivered');
    const received = sms.control.received.filter((m) => m.to === '+33612345678');
    expect(received).toEqual([expect.objectContaining({ from: '+15005550006', body: message.body.text })]);
    expect(message.body.text).toContain(ticket.label);
    const inspected = await inspect(s, message.id);
    expect(inspected.attempts).toEqual([expect.objectContaining({ statusCode: 201, outcome: 'delivered' })]);
    expect(inspected.attempts[0].responseExcerpt).toContain(received[0]!.sid);
  });

  it('fails an SMS the provider refuses for good, without retrying it', async () => {
    sms.control.respond('+33611111111', TWILIO_ERRORS.unsubscribed);
    const ticket = await book({ phone: '+33611111111' }, { sendClientSms: true });
    await s.dispatcher.drain();
    const [message] = await messagesOf(s, `ticketId=${ticket.ticketId}&channel=sms`);
    expect(message).toMatchObject({ status: 'failed', attemptCount: 1 });
    const inspected = await inspect(s, message.id);
    expect(inspected.attempts).toEqual([expect.objectContaining({ statusCode: 400, outcome: 'rejected' })]);
    expect(inspected.attempts[0].responseExcerpt).toContain('21610');
    s.h.clock.advance(60_000);
    await s.dispatcher.drain();
    expect(sms.control.requests.filter((r) => r.to === '+33611111111')).toHaveLength(1);
  });

  it("retries an SMS after the provider's Retry-After when it is throttled", async () => {
    sms.control.respond('+33622222222', { ...TWILIO_ERRORS.tooManyRequests, retryAfter: '7', times: 1 });
    const ticket = await book({ phone: '+33622222222' }, { sendClientSms: true });
    await s.dispatcher.drain();
    const [waiting] = await messagesOf(s, `ticketId=${ticket.ticketId}&channel=sms`);
    expect(waiting.status).toBe('pending');
    expect(Date.parse(waiting.nextAttemptAt) - s.h.clock.now()).toBe(7_000);
    s.h.clock.advance(7_000);
    await s.dispatcher.drain();
    const [delivered] = await messagesOf(s, `ticketId=${ticket.ticketId}&channel=sms`);
    expect(delivered.status).toBe('delivered');
    expect(sms.control.requests.filter((r) => r.to === '+33622222222').map((r) => r.status)).toEqual([429, 201]);
  });

  it('sends an e-mail over SMTP to the recipient with the subject and text of the message', async () => {
    const ticket = await book({ mail: 'ana@example.test' }, { sendClientMail: true });
    await s.dispatcher.drain();
    const [message] = await messagesOf(s, `ticketId=${ticket.ticketId}&channel=email`);
    expect(message.status).toBe('delivered');
    const mails = smtp.mails.filter((m) => m.to.includes('ana@example.test'));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.from).toBe('queue@acme.test');
    const { headers, text } = parseMail(mails[0]!.raw);
    expect(headers.to).toBe('ana@example.test');
    expect(headers.subject).toBe(message.body.subject);
    expect(headers['message-id']).toBe(`<${message.id}@queuebell>`);
    expect(text).toBe(message.body.text);
    expect(message.body.subject).toContain(ticket.label);
    const inspected = await inspect(s, message.id);
    expect(inspected.attempts).toEqual([expect.objectContaining({ statusCode: 250, outcome: 'delivered' })]);
  });

  it('fails an e-mail whose recipient the server refuses permanently, and retries a temporary refusal', async () => {
    refuse.set('gone@example.test', { code: 550, message: 'No such user' });
    refuse.set('busy@example.test', { code: 451, message: 'Try again later' });
    const gone = await book({ mail: 'gone@example.test' }, { sendClientMail: true });
    const busy = await book({ mail: 'busy@example.test' }, { sendClientMail: true });
    await s.dispatcher.drain();
    const [failed] = await messagesOf(s, `ticketId=${gone.ticketId}&channel=email`);
    expect(failed).toMatchObject({ status: 'failed' });
    expect((await inspect(s, failed.id)).attempts).toEqual([expect.objectContaining({ statusCode: 550, outcome: 'rejected' })]);
    const [waiting] = await messagesOf(s, `ticketId=${busy.ticketId}&channel=email`);
    expect(waiting).toMatchObject({ status: 'pending', attemptCount: 1 });
    expect((await inspect(s, waiting.id)).attempts).toEqual([
      expect.objectContaining({ statusCode: 451, outcome: 'retry_later:server_error' }),
    ]);

    refuse.delete('busy@example.test');
    s.h.clock.advance(1_000);
    await s.dispatcher.drain();
    const [delivered] = await messagesOf(s, `ticketId=${busy.ticketId}&channel=email`);
    expect(delivered.status).toBe('delivered');
    expect(smtp.mails.filter((m) => m.to.includes('busy@example.test'))).toHaveLength(1);
  });
});

describeEachEngine('SMS and e-mail without a provider', (engine) => {
  let s: DeliverySetup;
  beforeAll(async () => {
    s = await startDelivery(engine);
  });
  afterAll(() => s.close());

  it('fails SMS and e-mail at once, saying which setting is missing', async () => {
    const user = expectStatus(await s.h.call('POST', '/v2/users', { key: s.company.bookingKey }), 201);
    const ticket = expectStatus(
      await s.h.call('POST', `/v2/queues/${s.company.queueId}/ticket`, {
        key: s.company.bookingKey,
        token: user.jwtToken,
        body: { userData: { phone: '+33612345678', mail: 'ana@example.test' }, sendClientSms: true, sendClientMail: true },
      }),
      201,
    );
    await s.dispatcher.drain();
    const messages = await messagesOf(s, `ticketId=${ticket.ticketId}`);
    expect(messages.find((m) => m.channel === 'sms')).toMatchObject({
      status: 'failed',
      attemptCount: 0,
      lastError: expect.stringContaining('QUEUEBELL_SMS_'),
    });
    expect(messages.find((m) => m.channel === 'email')).toMatchObject({
      status: 'failed',
      attemptCount: 0,
      lastError: expect.stringContaining('QUEUEBELL_SMTP_URL'),
    });
  });
});
