import { describe, expect, it } from 'vitest';
import { localDay } from '../../../src/queue-service/appointments/zoned-time.js';
import { formatLabel } from '../../../src/queue-service/tickets/labels.js';
import { estimateCallTime } from '../../../src/queue-service/tickets/position.js';
import { deliverBy } from '../../../src/contract/deliver-by.js';
import { resolveLocale } from '../../../src/contract/locale.js';
import { renderTemplate, templateFor } from '../../../src/contract/message-templates.js';

describe('labels', () => {
  it('pads numbers to three digits and keeps growing past 999', () => {
    expect(formatLabel('A', 7)).toBe('A007');
    expect(formatLabel('VIP', 42)).toBe('VIP042');
    expect(formatLabel('A', 1234)).toBe('A1234');
  });

  it("takes the day in the place's time zone, not UTC", () => {
    const instant = Date.parse('2026-03-02T23:30:00Z');
    expect(localDay(instant, 'UTC')).toBe('2026-03-02');
    expect(localDay(instant, 'Europe/Paris')).toBe('2026-03-03');
    expect(localDay(instant, 'America/New_York')).toBe('2026-03-02');
  });
});

describe('estimated call time', () => {
  it('divides the people ahead among the open counters, assuming one when none is open', () => {
    const now = 1_000_000;
    expect(estimateCallTime(now, 6, 2, 5) - now).toBe(15 * 60_000);
    expect(estimateCallTime(now, 6, 0, 5) - now).toBe(30 * 60_000);
    expect(estimateCallTime(now, 0, 3, 5)).toBe(now);
  });
});

describe('deliver-by deadlines', () => {
  const at = Date.parse('2026-03-02T09:00:00Z');
  it('uses the default deadline of each action', () => {
    const minutes = (action: string) => (deliverBy(action, at, {}, null) - at) / 60_000;
    expect([minutes('TICKET_CALLED'), minutes('TICKET_INPROGRESS')]).toEqual([5, 5]);
    expect([minutes('TICKET_ALERTED'), minutes('TICKET_ONHOLD')]).toEqual([15, 15]);
    expect(['TICKET_BOOKED', 'TICKET_NOSHOW', 'TICKET_CANCELED', 'TICKET_DONE'].map(minutes)).toEqual([60, 60, 60, 60]);
  });

  it('lets a queue override an action, and keeps a reminder until the appointment', () => {
    expect(deliverBy('TICKET_CALLED', at, { TICKET_CALLED: 120 }, null)).toBe(at + 120_000);
    const appointment = at + 3 * 3_600_000;
    expect(deliverBy('TICKET_REMIND_1', at, {}, appointment)).toBe(appointment);
  });
});

describe('message texts', () => {
  it('resolves languages to the supported locales, falling back to English', () => {
    expect(['fr', 'fr_FR', 'fr-FR', 'FR-fr', 'fr_CA'].map(resolveLocale)).toEqual(['fr_FR', 'fr_FR', 'fr_FR', 'fr_FR', 'fr_FR']);
    expect(['de', 'de-AT', 'es_MX', 'it', 'nl_BE'].map(resolveLocale)).toEqual(['de_DE', 'de_DE', 'es_ES', 'it_IT', 'nl_NL']);
    expect(['en', 'pt_BR', 'ja', '', null].map(resolveLocale)).toEqual(['en_US', 'en_US', 'en_US', 'en_US', 'en_US']);
  });

  it('fills placeholders and leaves unknown ones as written', () => {
    const values = { label: 'A012', counter: 'counter 3', queue: 'Q', place: 'P', ahead: '2', eta: '10:30', appointment: '' };
    expect(renderTemplate(templateFor('TICKET_CALLED', 'en_US', {}).text, values)).toBe(
      "Ticket A012, it's your turn: please go to counter 3.",
    );
    expect(renderTemplate('{label} {nope}', values)).toBe('A012 {nope}');
  });

  it('uses the reminder template for any reminder rule id, and a queue override first', () => {
    expect(templateFor('TICKET_REMIND_7', 'fr_FR', {}).text).toContain('Rappel');
    expect(templateFor('TICKET_DONE', 'fr_FR', { TICKET_DONE: { fr: { text: 'Merci !' } } }).text).toBe('Merci !');
  });
});
