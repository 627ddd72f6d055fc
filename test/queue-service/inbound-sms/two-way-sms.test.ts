/**
 * People texting back (docs/design.md §Two-way SMS), through the fake Twilio provider's inbound
 * side: signed form posts to the service's webhook, TwiML read back. Every keyword in English and
 * French, STOP honoured by the next text of that company, CANCEL and OK acting on the ticket.
 */
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { startFakeSms, type FakeSmsProvider } from '../../../src/fakes/sms/server.js';
import { describeEachEngine } from '../../support/engines.js';
import { expectStatus } from '../support/harness.js';
import { loginOperator, openCounter, setUpCompany } from '../support/company.js';
import { messagesOf, startDelivery, type DeliverySetup } from '../dispatch/support/delivery.js';

const SERVICE_NUMBER = '+15005550006';

describeEachEngine('two-way SMS', (engine) => {
  let s: DeliverySetup;
  let sms: FakeSmsProvider;
  let phones = 0;
  const newPhone = () => `+3361000${String(1000 + phones++).slice(-4)}`;
  const text = (from: string, body: string) => sms.sendInbound({ url: `${s.h.url}/v2/sms/inbound`, from, to: SERVICE_NUMBER, body });
  const textsTo = (phone: string) => sms.control.received.filter((m) => m.to === phone).map((m) => m.body);

  beforeAll(async () => {
    sms = await startFakeSms();
    s = await startDelivery(engine, {
      QUEUEBELL_SMS_BASE_URL: sms.baseUrl,
      QUEUEBELL_SMS_ACCOUNT_SID: sms.accountSid,
      QUEUEBELL_SMS_AUTH_TOKEN: sms.authToken,
      QUEUEBELL_SMS_FROM: SERVICE_NUMBER,
    });
  });
  afterAll(async () => {
    await s.close();
    await sms.close();
  });
  beforeEach(() => sms.control.clearRules());

  async function bookWithSms(phone: string, lang = 'en_US', company = s.company) {
    const user = expectStatus(await s.h.call('POST', '/v2/users', { key: company.bookingKey }), 201);
    const ticket = expectStatus(
      await s.h.call('POST', `/v2/queues/${company.queueId}/ticket`, {
        key: company.bookingKey,
        token: user.jwtToken,
        body: { userData: { phone }, sendClientSms: true, lang },
      }),
      201,
    );
    await s.dispatcher.drain();
    return { ticket, token: user.jwtToken, company };
  }
  const stateOf = async (booked: Awaited<ReturnType<typeof bookWithSms>>) =>
    expectStatus(
      await s.h.call('GET', `/v2/user/tickets/${booked.ticket.ticketId}`, { key: booked.company.bookingKey, token: booked.token }),
      200,
    ).state;

  it('refuses a post without the provider’s signature, and changes nothing', async () => {
    const phone = newPhone();
    const booked = await bookWithSms(phone);
    const forged = await fetch(`${s.h.url}/v2/sms/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'bm90IGEgc2lnbmF0dXJl' },
      body: new URLSearchParams({ From: phone, To: SERVICE_NUMBER, Body: 'CANCEL' }).toString(),
    });
    expect(forged.status).toBe(401);
    expect(((await forged.json()) as { error: { code: string } }).error.code).toBe('INVALID_SIGNATURE');
    expect(await stateOf(booked)).toBe(0);
  });

  it('STOP ends the company’s texts to that number, START brings them back', async () => {
    const phone = newPhone();
    const booked = await bookWithSms(phone);
    expect(textsTo(phone)).toHaveLength(1);
    const stopped = await text(phone, 'stop');
    expect(stopped.status).toBe(200);
    expect(stopped.reply).toBe('You will get no more texts from Acme. Reply START to get them again.');

    // The next change of the ticket sends no text; its row says why.
    const other = await bookWithSms(phone);
    expect(textsTo(phone)).toHaveLength(1);
    const [refused] = await messagesOf(s, `ticketId=${other.ticket.ticketId}&channel=sms`);
    expect(refused).toMatchObject({ status: 'failed' });
    expect(refused.lastError).toContain('STOP');

    expect((await text(phone, 'START')).reply).toBe('Texts from Acme are on again. Reply STOP to stop them.');
    await bookWithSms(phone);
    expect(textsTo(phone)).toHaveLength(2);
    expect(await stateOf(booked)).toBe(0);
  });

  it('answers in French to French words, accents or not', async () => {
    const phone = newPhone();
    await bookWithSms(phone, 'fr_FR');
    expect((await text(phone, 'Arrêt')).reply).toBe('Vous ne recevrez plus de SMS de Acme. Répondez START pour les recevoir à nouveau.');
    expect((await text(phone, 'START')).reply).toBe('Les SMS de Acme reprennent. Répondez STOP pour les arrêter.');
    expect((await text(phone, 'aide')).reply).toMatch(/^Acme : répondez ANNULER/);
  });

  it.each([
    [
      'es_ES',
      'Baja',
      'ALTA',
      'ayuda',
      'Cancelar',
      /^No recibirá más SMS de Acme/,
      /^Vuelve a recibir/,
      /^Acme: responda CANCELAR/,
      /cancelado/,
    ],
    [
      'de_DE',
      'Stopp',
      'START',
      'Hilfe',
      'Storno',
      /^Sie erhalten keine SMS mehr von Acme/,
      /^SMS von Acme sind wieder aktiv/,
      /^Acme: Antworten Sie STORNO/,
      /storniert/,
    ],
    [
      'it_IT',
      'STOP',
      'Riattiva',
      'Aiuto',
      'annulla',
      /^Non riceverà più SMS da Acme/,
      /^Gli SMS di Acme sono di nuovo attivi/,
      /^Acme: risponda ANNULLA/,
      /annullato/,
    ],
    [
      'nl_NL',
      'afmelden',
      'Aanmelden',
      'HULP',
      'Annuleer',
      /^U ontvangt geen sms meer van Acme/,
      /^Sms’jes van Acme staan weer aan/,
      /^Acme: antwoord ANNULEER/,
      /geannuleerd/,
    ],
  ])(
    'in %s: the stop, start, help and cancel words, answered in that language',
    async (lang, stop, start, help, cancel, stopped, started, helpText, canceled) => {
      const phone = newPhone();
      const booked = await bookWithSms(phone, lang);
      expect((await text(phone, stop)).reply).toMatch(stopped);
      expect((await text(phone, start)).reply).toMatch(started);
      expect((await text(phone, help)).reply).toMatch(helpText);
      expect((await text(phone, cancel)).reply).toBeNull();
      expect(await stateOf(booked)).toBe(600);
      await s.dispatcher.drain();
      // The ticket's own TICKET_CANCELED text, in its language, is the answer.
      expect(textsTo(phone).at(-1)).toMatch(canceled);
    },
  );

  it('CANCEL cancels the latest waiting ticket; its own text says so, with no second reply', async () => {
    const phone = newPhone();
    const booked = await bookWithSms(phone);
    const answer = await text(phone, 'Cancel please');
    expect(answer.reply).toBeNull();
    expect(await stateOf(booked)).toBe(600);
    await s.dispatcher.drain();
    expect(textsTo(phone).at(-1)).toContain(booked.ticket.label);
    expect((await text(phone, 'ANNULER')).reply).toBe(
      "Aucun ticket n'attend avec ce numéro : rien n'a été changé. Répondez AIDE pour connaître les mots possibles.",
    );
  });

  it('CANCEL from a number that opted out is answered by the reply itself', async () => {
    const phone = newPhone();
    const booked = await bookWithSms(phone);
    await text(phone, 'STOP');
    expect((await text(phone, 'CANCEL')).reply).toBe(`Your ticket ${booked.ticket.label} is canceled.`);
    expect(await stateOf(booked)).toBe(600);
  });

  it('OK confirms a ticket waiting for confirmation', async () => {
    const co = await setUpCompany(s.h, 'Confirmers', { alertThreshold: 0, confirmRequired: true });
    const operator = await loginOperator(s.h, co);
    await openCounter(s.h, operator, co.endpointId);
    const phone = newPhone();
    await bookWithSms(newPhone(), 'en_US', co);
    const second = await bookWithSms(phone, 'en_US', co);
    expectStatus(await s.h.call('POST', `/v2/endpoints/${co.endpointId}/next`, { token: operator, body: { previousTicket: 'keep' } }), 200);
    expect(await stateOf(second)).toBe(50);
    expect((await text(phone, 'yes')).reply).toBeNull();
    expect(await stateOf(second)).toBe(100);
  });

  it('answers anything else with the help text, and a stranger politely', async () => {
    const phone = newPhone();
    await bookWithSms(phone);
    expect((await text(phone, 'what is this?')).reply).toBe(
      'Acme: reply CANCEL to cancel your ticket, OK to confirm it, STOP to stop texts, START to get them again.',
    );
    const stranger = newPhone();
    expect((await text(stranger, 'STOP')).reply).toBe('This number gets no texts from us. Nothing was changed.');
    expect((await text(stranger, 'CANCEL')).reply).toMatch(/^There is no ticket waiting with this number/);
  });

  it('refuses a malformed post in the error shape', async () => {
    const bodies: Record<string, string>[] = [{ From: 'not-a-number', Body: 'STOP' }, { Body: 'STOP' }];
    for (const body of bodies) {
      const reply = await fetch(`${s.h.url}/v2/sms/inbound`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'x' },
        body: new URLSearchParams(body).toString(),
      });
      expect(reply.status).toBe(400);
      expect(((await reply.json()) as { error: { code: string } }).error.code).toBe('VALIDATION_FAILED');
    }
  });
});
