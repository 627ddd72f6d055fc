/**
 * The pages in every language, on the place's clock, on a phone: a browser set to New York reads a
 * Paris town hall's times in Paris time on the ticket page, the desk and the board; every page in
 * every language fits a 360 px phone without sideways scrolling; and the ticket page's calendar
 * link downloads an .ics that ical.js reads back at the appointment's instant in the place's zone.
 */
import { readFileSync } from 'node:fs';
import ICAL from 'ical.js';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LANGS } from '../../web/src/shared/i18n.js';
import { browserRequired, chromiumPath, launchBrowser, PHONE, screenshot } from './support/browser.js';
import { signInAsAdmin, signInAtDesk } from './support/pages.js';
import { startDemoStack, type DemoStack } from './support/stack.js';

const PLACE_ZONE = 'Europe/Paris';
const BROWSER_ZONE = 'America/New_York';
const EVERY_DAY = Object.fromEntries(
  ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [{ from: '09:00', to: '17:00' }]]),
);

/** "11:30" on a zone's 24-hour clock. */
const clock = (instant: string | number, timeZone: string) =>
  new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(new Date(instant));

describe.skipIf(!chromiumPath && !browserRequired)('languages, time zones and phones', () => {
  let stack: DemoStack;
  let browser: Browser;
  let user: { userId: string; jwtToken: string; bookingKey: string };
  let appointment: { ticketId: string; label: string; bookedFor: string };
  let kioskKey: string;

  /** A phone in New York, with the person's stored session when given. */
  async function phone(withUser = false): Promise<BrowserContext> {
    const context = await browser.newContext({ baseURL: stack.queueUrl, viewport: PHONE, locale: 'en-US', timezoneId: BROWSER_ZONE });
    context.setDefaultTimeout(10_000);
    if (withUser) await context.addInitScript((stored) => localStorage.setItem('qb.user', stored), JSON.stringify(user));
    return context;
  }

  async function call<T = any>(method: string, path: string, init: { key?: string; token?: string; body?: unknown } = {}): Promise<T> {
    const response = await fetch(stack.queueUrl + path, {
      method,
      headers: {
        ...(init.key ? { 'x-api-key': init.key } : {}),
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** The demo queue takes two walk-ins, then appointments every day; the person books the first free slot of tomorrow. */
  beforeAll(async () => {
    stack = await startDemoStack();
    browser = await launchBrowser();
    const { queueId, bookingKey, placeId } = stack.info;
    for (const name of ['Ada', 'Grace']) {
      const walker = await call('POST', '/v2/users', { key: bookingKey });
      await call('POST', `/v2/queues/${queueId}/ticket`, { key: bookingKey, token: walker.jwtToken, body: { userData: { name } } });
    }
    await stack.admin('PUT', `/admin/queues/${queueId}/openingHours`, { weekly: EVERY_DAY });
    const type = await stack.admin('POST', `/admin/queues/${queueId}/appointmentTypes`, { name: 'Passport pick-up', durationMinutes: 20 });
    const created = await call('POST', '/v2/users', { key: bookingKey });
    user = { userId: created.userId, jwtToken: created.jwtToken, bookingKey };
    const tomorrow = new Intl.DateTimeFormat('en-CA', { timeZone: PLACE_ZONE }).format(Date.now() + 86_400_000);
    const { slots } = await call('GET', `/v2/queues/${queueId}/availabilities?date=${tomorrow}&appointmentTypeId=${type.id}`, {
      key: bookingKey,
    });
    const booked = await call('POST', `/v2/queues/${queueId}/ticket`, {
      key: bookingKey,
      token: user.jwtToken,
      body: { bookedFor: slots[3].start, appointmentTypeId: type.id, lang: 'en_US' },
    });
    appointment = { ticketId: booked.ticketId, label: booked.label, bookedFor: booked.bookedFor };
    kioskKey = (await stack.admin('POST', `/admin/places/${placeId}/kiosks`, { name: 'Entrance' })).key;
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('shows the appointment on the ticket page and the desk in the place’s time, saying so, in a browser set to New York', async () => {
    const paris = clock(appointment.bookedFor, PLACE_ZONE);
    const newYork = clock(appointment.bookedFor, BROWSER_ZONE);
    expect(paris).not.toBe(newYork);

    const person = await (await phone(true)).newPage();
    await person.goto('/?lang=fr');
    const line = await person.getByTestId('ticket-appointment').innerText();
    expect(line).toContain(paris);
    expect(line).not.toContain(newYork);
    // The zone is said, since the phone's own clock reads otherwise.
    expect(line).toMatch(/UTC\+[12]|heure/);

    const desk = await (await phone()).newPage();
    await signInAtDesk(desk, stack);
    await desk.goto('/desk?lang=fr');
    const row = desk.getByTestId('waiting').getByRole('row').filter({ hasText: appointment.label });
    await row.waitFor();
    const expected = await row.innerText();
    expect(expected).toContain(paris);
    expect(expected).not.toContain(newYork);
  });

  it('runs the board’s clock on the place’s time', async () => {
    const board = await (await phone()).newPage();
    await board.goto(`/display/${stack.info.placeId}?lang=de`);
    const shown = await board.getByTestId('board-clock').innerText();
    const before = Date.now();
    const candidates = [clock(before - 60_000, PLACE_ZONE), clock(before, PLACE_ZONE), clock(before + 60_000, PLACE_ZONE)];
    expect(
      candidates.some((time) => shown.includes(time)),
      `${shown} is not one of ${candidates.join(', ')}`,
    ).toBe(true);
    expect(shown).not.toContain(clock(before, BROWSER_ZONE));
  });

  it('downloads the appointment as an .ics that ical.js reads at its instant, in the place’s zone', async () => {
    const person = await (await phone(true)).newPage();
    await person.goto('/');
    const [download] = await Promise.all([
      person.waitForEvent('download'),
      person.getByRole('button', { name: 'Add to my calendar' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${appointment.label}.ics`);
    const ics = readFileSync((await download.path())!, 'utf8');
    const calendar = new ICAL.Component(ICAL.parse(ics));
    for (const zone of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(new ICAL.Timezone(zone));
    const event = new ICAL.Event(calendar.getFirstSubcomponent('vevent')!);
    expect(event.startDate.zone?.tzid).toBe(PLACE_ZONE);
    expect(event.startDate.toJSDate().toISOString()).toBe(new Date(appointment.bookedFor).toISOString());
    expect(`${String(event.startDate.hour).padStart(2, '0')}:${String(event.startDate.minute).padStart(2, '0')}`).toBe(
      clock(appointment.bookedFor, PLACE_ZONE),
    );
    expect(event.uid).toBe(`${appointment.ticketId}@queuebell`);
  });

  /** Wider than the phone: sideways scrolling, or a cut-off column behind it. */
  const overflow = (page: Page) =>
    page.evaluate(() => ({
      width: document.scrollingElement!.scrollWidth,
      culprits: [...document.querySelectorAll('body *')]
        .filter((el) => el.getBoundingClientRect().right > 361)
        .slice(0, 3)
        .map((el) => `${el.tagName.toLowerCase()}.${el.className}: ${(el.textContent ?? '').slice(0, 40)}`),
    }));

  it.each(LANGS)('fits every page on a 360 px phone in %s, the desk’s waiting list whole', async (lang) => {
    const pages: [string, (page: Page) => Promise<void>][] = [
      [
        'ticket form',
        async (page) => {
          await page.goto(`/?lang=${lang}&queue=${stack.info.queueId}`);
          await page.locator('form').first().waitFor();
        },
      ],
      [
        'ticket',
        async (page) => {
          await page.goto(`/?lang=${lang}`);
          await page.getByTestId('ticket-appointment').waitFor();
        },
      ],
      [
        'desk',
        async (page) => {
          await signInAtDesk(page, stack);
          await page.goto(`/desk?lang=${lang}`);
          await page.getByTestId('waiting').getByRole('row').filter({ hasText: appointment.label }).waitFor();
        },
      ],
      [
        'display',
        async (page) => {
          await page.goto(`/display/${stack.info.placeId}?lang=${lang}`);
          await page.getByTestId('board-clock').waitFor();
        },
      ],
      [
        'kiosk',
        async (page) => {
          await page.goto(`/kiosk?lang=${lang}#key=${kioskKey}`);
          await page.getByRole('heading', { level: 1 }).waitFor();
        },
      ],
      [
        'admin',
        async (page) => {
          await signInAsAdmin(page);
          await page.goto(`/admin?lang=${lang}`);
          await page.getByRole('navigation').waitFor();
        },
      ],
    ];
    for (const [name, open] of pages) {
      const page = await (await phone(name === 'ticket')).newPage();
      await open(page);
      expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
      await screenshot(page, `${name.replace(' ', '-')}-${lang}-360`);
      const { width, culprits } = await overflow(page);
      expect(width, `the ${name} in ${lang} is ${width} px wide: ${culprits.join(' | ')}`).toBeLessThanOrEqual(360);
      if (name === 'desk') {
        // The actions of each waiting ticket are on screen, not behind a sideways scroll.
        const button = page.getByTestId('waiting').getByRole('button').first();
        const box = (await button.boundingBox())!;
        expect(box.x + box.width).toBeLessThanOrEqual(360);
      }
      await page.context().close();
    }
  });
});
