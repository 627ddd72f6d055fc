/**
 * An appointment's .ics (docs/design.md §Calendars), read back with ical.js, an independent
 * iCalendar implementation: the same event at the same instant through booking, moving and
 * canceling, the place's address and time zone, long lines folded; and attached to the e-mails.
 */
import ICAL from 'ical.js';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachEngine } from '../../support/engines.js';
import { expectStatus, type QueueHarness } from '../support/harness.js';
import { book, createUser, setUpCompany } from '../support/company.js';
import { messagesOf, startDelivery, type DeliverySetup } from '../dispatch/support/delivery.js';

const MONDAY_HOURS = { weekly: { mon: [{ from: '09:00', to: '12:00' }] } };
const PLACE = 'Mairie du 1er arrondissement — Hôtel de Ville, salle des fêtes numéro 3';
const ADDRESS = '4 place du Louvre, 75001 Paris';

function eventOf(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  for (const zone of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(new ICAL.Timezone(zone));
  const event = new ICAL.Event(calendar.getFirstSubcomponent('vevent')!);
  return {
    method: calendar.getFirstPropertyValue('method'),
    uid: event.uid,
    sequence: event.sequence,
    start: event.startDate.toJSDate().toISOString(),
    end: event.endDate.toJSDate().toISOString(),
    zone: event.startDate.zone?.tzid,
    summary: event.summary,
    description: event.description,
    location: event.location,
    status: event.component.getFirstPropertyValue('status'),
  };
}

describeEachEngine('appointment calendars', (engine) => {
  let s: DeliverySetup;
  let smtp: SMTPServer;
  const mails: string[] = [];
  let h: QueueHarness;

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          mails.push(Buffer.concat(chunks).toString('utf8'));
          callback();
        });
      },
    });
    const port = await new Promise<number>((resolve) =>
      smtp.listen(0, '127.0.0.1', () => resolve((smtp.server.address() as { port: number }).port)),
    );
    s = await startDelivery(engine, { QUEUEBELL_SMTP_URL: `smtp://127.0.0.1:${port}`, QUEUEBELL_MAIL_FROM: 'queue@acme.test' });
    h = s.h;
    h.clock.set('2026-03-02T07:00:00Z'); // Monday, before the morning's slots
  });
  afterAll(async () => {
    await s.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  async function appointment(name: string, lang = 'en_US') {
    const co = await setUpCompany(h, name);
    expectStatus(await h.admin('PATCH', `/admin/places/${co.placeId}`, { name: PLACE, address: ADDRESS }), 200);
    expectStatus(await h.admin('PUT', `/admin/queues/${co.queueId}/openingHours`, MONDAY_HOURS), 200);
    const type = expectStatus(
      await h.admin('POST', `/admin/queues/${co.queueId}/appointmentTypes`, { name: 'Advice', durationMinutes: 30 }),
      201,
    );
    const user = await createUser(h, co);
    const ticket = expectStatus(
      await book(h, co, user.token, {
        bookedFor: '2026-03-02T10:30:00.000Z',
        appointmentTypeId: type.id,
        userData: { mail: `${name.toLowerCase()}@example.test` },
        sendClientMail: true,
        lang,
      }),
      201,
    );
    const ics = async () => {
      const reply = await h.call('GET', `/v2/user/tickets/${ticket.ticketId}/calendar.ics`, { key: co.bookingKey, token: user.token });
      expect(reply.status).toBe(200);
      expect(reply.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
      return reply.text;
    };
    return { co, user, ticket, ics };
  }

  it('gives the appointment at its instant, in the place’s time zone, with its address', async () => {
    const { ticket, ics } = await appointment('Calendars');
    const text = await ics();
    expect(text.split('\r\n').every((line) => Buffer.byteLength(line) <= 75)).toBe(true);
    expect(eventOf(text)).toEqual({
      method: 'PUBLISH',
      uid: `${ticket.ticketId}@queuebell`,
      sequence: expect.any(Number),
      start: '2026-03-02T10:30:00.000Z',
      end: '2026-03-02T11:00:00.000Z',
      zone: 'Europe/Paris',
      summary: `Accounts — ${PLACE} (${ticket.label})`,
      description: `Ticket ${ticket.label}. Show this number when you arrive.`,
      location: `${PLACE}, ${ADDRESS}`,
      status: 'CONFIRMED',
    });
    // 11:30 on the wall clock in Paris, as written in the file.
    expect(text).toContain('DTSTART;TZID=Europe/Paris:20260302T113000');
  });

  it('speaks the ticket’s language: the place’s name in it and the description', async () => {
    const { co, ics, ticket } = await appointment('Kalender', 'de_DE');
    expectStatus(await h.admin('PATCH', `/admin/places/${co.placeId}`, { names: { de_DE: 'Rathaus, Saal 3' } }), 200);
    expect(eventOf(await ics())).toMatchObject({
      summary: `Accounts — Rathaus, Saal 3 (${ticket.label})`,
      description: `Nummer ${ticket.label}. Bitte zeigen Sie diese Nummer bei Ihrer Ankunft.`,
      location: `Rathaus, Saal 3, ${ADDRESS}`,
      start: '2026-03-02T10:30:00.000Z',
    });
  });

  it('moves and cancels as the same event, with a higher sequence each time', async () => {
    const { co, user, ics } = await appointment('Movers');
    const booked = eventOf(await ics());
    const ticketId = booked.uid.replace('@queuebell', '');
    expectStatus(
      await h.call('PUT', `/v2/user/tickets/${ticketId}/report`, {
        key: co.bookingKey,
        token: user.token,
        body: { reportFor: '2026-03-02T09:00:00.000Z' },
      }),
      200,
    );
    const moved = eventOf(await ics());
    expect([moved.uid, moved.start, moved.sequence > booked.sequence]).toEqual([booked.uid, '2026-03-02T09:00:00.000Z', true]);
    expectStatus(await h.call('PUT', `/v2/user/tickets/${ticketId}/cancel`, { key: co.bookingKey, token: user.token }), 200);
    const canceled = eventOf(await ics());
    expect([canceled.method, canceled.status, canceled.uid, canceled.sequence > moved.sequence]).toEqual([
      'CANCEL',
      'CANCELLED',
      booked.uid,
      true,
    ]);
  });

  it('attaches the event to the appointment’s e-mails', async () => {
    const { ticket } = await appointment('Mailers');
    await s.dispatcher.drain();
    const [message] = await messagesOf(s, `ticketId=${ticket.ticketId}&channel=email`);
    expect(message.status).toBe('delivered');
    const mail = mails.find((raw) => raw.includes(`mailers@example.test`))!;
    expect(mail).toMatch(/Content-Type: text\/calendar; charset=utf-8/i);
    const part = attachment(mail);
    expect(eventOf(part)).toMatchObject({ uid: `${ticket.ticketId}@queuebell`, start: '2026-03-02T10:30:00.000Z', method: 'PUBLISH' });
  });

  describe('what has no calendar', () => {
    it('refuses a walk-in and another person’s ticket', async () => {
      const co = await setUpCompany(h, 'WalkIns');
      const user = await createUser(h, co);
      const walkIn = expectStatus(await book(h, co, user.token), 201);
      const reply = await h.call('GET', `/v2/user/tickets/${walkIn.ticketId}/calendar.ics`, { key: co.bookingKey, token: user.token });
      expect([reply.status, reply.body.error.code]).toEqual([409, 'NOT_AN_APPOINTMENT']);
      const stranger = await createUser(h, co);
      const theirs = await h.call('GET', `/v2/user/tickets/${walkIn.ticketId}/calendar.ics`, { key: co.bookingKey, token: stranger.token });
      expect([theirs.status, theirs.body.error.code]).toEqual([404, 'TICKET_NOT_FOUND']);
    });
  });
});

/** The text/calendar part of a raw MIME mail, decoded from its transfer encoding. */
function attachment(raw: string): string {
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(raw)![1]!;
  const part = raw.split(`--${boundary}`).find((chunk) => /Content-Type: text\/calendar/i.test(chunk))!;
  const [head, ...body] = part.split(/\r?\n\r?\n/);
  const content = body.join('\r\n\r\n').trim();
  if (/Content-Transfer-Encoding: base64/i.test(head!)) return Buffer.from(content.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (/Content-Transfer-Encoding: quoted-printable/i.test(head!))
    return Buffer.from(
      content.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
      'latin1',
    ).toString('utf8');
  return content;
}
