/**
 * Managing a company through the admin page, each task checked through the admin API afterwards:
 * appointment types, opening hours and their exceptions, counters, companies, API keys, service
 * accounts and the SMS and e-mail limits; refusals shown in the API's words; destructive actions
 * asked first; the template picker in words; and every tab within a 360 px phone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { chromiumPath, browserRequired, DESKTOP, PHONE, launchBrowser, newContext, screenshot } from './support/browser.js';
import { overflowingElements, signInAsAdmin, takeTicket } from './support/pages.js';
import { startDemoStack, type DemoStack } from './support/stack.js';

const QUEUE = 'ID cards and passports';

describe.skipIf(!chromiumPath && !browserRequired)('managing a company on the admin page', () => {
  let stack: DemoStack;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    stack = await startDemoStack();
    browser = await launchBrowser();
    // A ticket, so the message log has rows to lay out.
    await takeTicket(await (await newContext(browser, stack.queueUrl)).newPage(), 'Ada');
    page = await (await newContext(browser, stack.queueUrl, DESKTOP)).newPage();
    await signInAsAdmin(page);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  const openBooking = async () => {
    await page.getByRole('button', { name: 'Queues and counters' }).click();
    await page.getByRole('button', { name: `Appointments and hours: ${QUEUE}` }).click();
    return page.getByTestId('queue-booking');
  };
  const typesOfQueue = () => stack.admin<any[]>('GET', `/admin/queues/${stack.info.queueId}/appointmentTypes`);

  it('adds, changes and deletes an appointment type, and shows the API refusal of a bad duration', async () => {
    const panel = (await openBooking()).getByTestId('appointment-types');
    await panel.locator('summary', { hasText: 'Add an appointment type' }).click();
    await panel.getByLabel('Name', { exact: true }).fill('Passport renewal');
    await panel.getByLabel('Name in French (optional)').fill('Renouvellement de passeport');
    await panel.getByLabel('Duration (minutes)').fill('20');
    await panel.getByLabel('People per slot').fill('2');
    await panel.getByRole('button', { name: 'Add an appointment type' }).click();
    await panel.getByText('Appointment type "Passport renewal" created.').waitFor();
    await panel.getByText('20 min, 2 people per slot').waitFor();
    const [created] = await typesOfQueue();
    expect(created).toMatchObject({
      name: 'Passport renewal',
      names: { fr_FR: 'Renouvellement de passeport' },
      durationMinutes: 20,
      capacity: 2,
    });

    await panel.getByRole('button', { name: 'Change Passport renewal' }).click();
    const duration = panel.getByLabel('Duration (minutes)').first();
    await duration.fill('2');
    await panel.getByRole('button', { name: 'Save', exact: true }).click();
    // The API's own words for the field it refused.
    await panel
      .getByTestId('notice-error')
      .getByText(/Please check the form: .*durationMinutes/)
      .waitFor();
    expect((await typesOfQueue())[0].durationMinutes).toBe(20);
    await duration.fill('30');
    await panel.getByRole('button', { name: 'Save', exact: true }).click();
    await panel.getByText('Appointment type "Passport renewal" saved.').waitFor();
    expect((await typesOfQueue())[0]).toMatchObject({
      id: created.id,
      durationMinutes: 30,
      names: { fr_FR: 'Renouvellement de passeport' },
    });

    await panel.getByRole('button', { name: 'Delete Passport renewal' }).click();
    // Asked first: nothing is deleted until the person says yes.
    await panel.getByText('Delete the appointment type "Passport renewal"? Booked appointments keep their time.').waitFor();
    expect(await typesOfQueue()).toHaveLength(1);
    await panel.getByRole('button', { name: 'Yes, delete' }).click();
    await panel.getByText('Appointment type "Passport renewal" deleted.').waitFor();
    expect(await typesOfQueue()).toEqual([]);
  });

  it("sets weekly opening hours with a closed day and special hours, in the place's time zone, then removes them", async () => {
    const panel = (await openBooking()).getByTestId('opening-hours');
    await panel.getByTestId('hours-zone').getByText('time zone Europe/Paris').waitFor();
    const path = `/admin/queues/${stack.info.queueId}/openingHours`;

    await panel.getByLabel('Monday').fill('09:00-12:00, 14:00-17:30');
    await panel.getByLabel('Tuesday').fill('17:00-09:00');
    await panel.getByRole('button', { name: 'Save the opening hours' }).click();
    await panel
      .getByTestId('notice-error')
      .getByText(/A range must end after it starts \(17:00–09:00\)/)
      .waitFor();
    expect((await stack.admin('GET', path)).openingHours).toBeNull();

    await panel.getByLabel('Tuesday').fill('9h to noon');
    await panel.getByRole('button', { name: 'Save the opening hours' }).click();
    await panel.getByText('"9h to noon" (Tuesday) is not a range such as 09:00-12:00.').waitFor();

    await panel.getByLabel('Tuesday').fill('9:00-12:00');
    await panel.getByRole('button', { name: 'Add an exception' }).click();
    await panel.getByLabel('Date').nth(0).fill('2030-12-25');
    await panel.getByLabel('Note (optional), e.g. Bank holiday').nth(0).fill('Christmas');
    await panel.getByRole('button', { name: 'Add an exception' }).click();
    await panel.getByLabel('Date').nth(1).fill('2030-12-24');
    await panel.getByLabel('Hours that day (empty: closed)').nth(1).fill('09:00-12:00');
    await panel.getByRole('button', { name: 'Save the opening hours' }).click();
    await panel.getByText('Opening hours saved.').waitFor();
    expect(await stack.admin('GET', path)).toEqual({
      queueId: stack.info.queueId,
      timeZone: 'Europe/Paris',
      openingHours: {
        weekly: {
          mon: [
            { from: '09:00', to: '12:00' },
            { from: '14:00', to: '17:30' },
          ],
          tue: [{ from: '09:00', to: '12:00' }],
        },
        exceptions: [
          { date: '2030-12-24', hours: [{ from: '09:00', to: '12:00' }] },
          { date: '2030-12-25', hours: [], note: 'Christmas' },
        ],
      },
    });
    // The booking side sees them: Christmas is closed, Christmas Eve has its morning.
    const days = await fetch(`${stack.queueUrl}/v2/queues/${stack.info.queueId}/openingHours`, {
      headers: { 'x-api-key': stack.info.bookingKey },
    }).then((response) => response.json());
    expect(JSON.stringify(days)).toContain('2030-12-25');

    await panel.getByRole('button', { name: 'Remove the opening hours' }).click();
    await panel.getByRole('button', { name: 'Yes, remove the opening hours' }).click();
    await panel.getByText('Opening hours removed: the queue takes appointments at any time.').waitFor();
    expect((await stack.admin('GET', path)).openingHours).toBeNull();
  });

  it('adds a counter, renames it and changes its French name, then deletes it after asking', async () => {
    await page.getByRole('button', { name: 'Queues and counters' }).click();
    const counters = () => stack.admin<any[]>('GET', `/admin/places/${stack.info.placeId}/endpoints`);
    await page.locator('summary', { hasText: 'Add a counter' }).click();
    const create = page.locator('details.create', { hasText: 'Add a counter' });
    await create.getByLabel('Name', { exact: true }).fill('Counter 9');
    await create.getByLabel(QUEUE).check();
    await create.getByRole('button', { name: 'Add a counter' }).click();
    await page.getByText('Counter "Counter 9" created.').waitFor();
    const added = (await counters()).find((counter) => counter.name === 'Counter 9');
    expect(added.queueIds).toEqual([stack.info.queueId]);

    await page.getByRole('button', { name: 'Change Counter 9' }).click();
    const list = page.getByTestId(`counters-${stack.info.placeId}`);
    await list.getByLabel('Name', { exact: true }).fill('Passports desk');
    await list.getByLabel('Name in French (optional)').fill('Guichet passeports');
    await list.getByRole('button', { name: 'Save the counter' }).click();
    await page.getByText('Counter "Passports desk" saved.').waitFor();
    expect((await counters()).find((counter) => counter.id === added.id)).toMatchObject({
      name: 'Passports desk',
      names: { fr_FR: 'Guichet passeports' },
      queueIds: [stack.info.queueId],
    });

    await page.getByRole('button', { name: 'Delete Passports desk' }).click();
    await page.getByText('Delete the counter "Passports desk"? This cannot be undone.').waitFor();
    expect((await counters()).some((counter) => counter.id === added.id)).toBe(true);
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await page.getByText('Counter "Passports desk" deleted.').waitFor();
    expect((await counters()).some((counter) => counter.id === added.id)).toBe(false);
    // The demo's own counter is still there.
    expect((await counters()).map((counter) => counter.id)).toContain(stack.info.endpointId);
  });

  it('creates an API key and a service account shown once, and revokes both after asking', async () => {
    const companyId = stack.info.companyId;
    await page.getByRole('button', { name: 'Companies and keys' }).click();
    await page.locator('summary', { hasText: 'Create an API key' }).click();
    const keyForm = page.locator('details.create', { hasText: 'Create an API key' });
    await keyForm.getByLabel('Name (optional)').fill('Kiosk app');
    await keyForm.getByRole('button', { name: 'Create an API key' }).click();
    const key = await page.getByTestId('secret').inputValue();
    expect(key).toMatch(/^qb_pub_/);
    const listed = (await stack.admin<any[]>('GET', `/admin/companies/${companyId}/keys`)).find((k) => k.name === 'Kiosk app');
    expect(listed).toMatchObject({ scopes: ['booking'], revokedAt: null, prefix: key.slice(0, 12) });
    // The key works for booking until it is revoked.
    const places = () => fetch(`${stack.queueUrl}/v2/places`, { headers: { 'x-api-key': key } });
    expect((await places()).status).toBe(200);

    // No scope: the API's refusal, in words.
    await keyForm.getByLabel('booking').uncheck();
    await keyForm.getByRole('button', { name: 'Create an API key' }).click();
    await page
      .getByTestId('notice-error')
      .getByText(/Please check the form: .*scopes/)
      .waitFor();

    await page.getByTestId('api-keys').getByRole('button', { name: 'Revoke Kiosk app' }).click();
    await page.getByRole('button', { name: 'Yes, revoke' }).click();
    await page.getByText('Key "Kiosk app" revoked.').waitFor();
    const revoked = (await stack.admin<any[]>('GET', `/admin/companies/${companyId}/keys`)).find((k) => k.id === listed.id);
    expect(revoked.revokedAt).not.toBeNull();
    expect((await places()).status).toBe(401);

    await page.locator('summary', { hasText: 'Create a service account' }).click();
    const accountForm = page.locator('details.create', { hasText: 'Create a service account' });
    await accountForm.getByLabel('Name (optional)').fill('Booking backend');
    await accountForm.getByLabel('server').check();
    await accountForm.getByRole('button', { name: 'Create a service account' }).click();
    const file = JSON.parse(await page.getByTestId('secret').inputValue());
    expect(file).toMatchObject({ type: 'service_account', project_id: companyId });
    expect(file.private_key).toContain('BEGIN PRIVATE KEY');
    const account = (await stack.admin<any[]>('GET', `/admin/companies/${companyId}/service-accounts`)).find(
      (a) => a.name === 'Booking backend',
    );
    expect(account).toMatchObject({ clientEmail: file.client_email, scopes: ['booking', 'server'], revokedAt: null });
    await page.getByTestId('service-accounts').getByRole('button', { name: 'Revoke Booking backend' }).click();
    await page.getByRole('button', { name: 'Yes, revoke' }).click();
    await page.getByText('Service account "Booking backend" revoked.').waitFor();
    const gone = (await stack.admin<any[]>('GET', `/admin/companies/${companyId}/service-accounts`)).find((a) => a.id === account.id);
    expect(gone.revokedAt).not.toBeNull();
  });

  it('sets the SMS countries and caps, refuses a bad country code in the API words, and lifts a cap', async () => {
    const path = `/admin/companies/${stack.info.companyId}/notificationLimits`;
    await page.getByRole('button', { name: 'SMS and e-mail' }).click();
    const form = page.getByTestId('limits');
    await form.getByTestId('countries-in-force').getByText('In force now: FR').waitFor();
    await form.getByLabel('Countries SMS may go to').fill('FRA');
    await form.getByRole('button', { name: 'Save the limits' }).click();
    await form
      .getByTestId('notice-error')
      .getByText(/Please check the form: .*smsCountries/)
      .waitFor();
    expect((await stack.admin('GET', path)).smsCountries).toBeNull();

    await form.getByLabel('Countries SMS may go to').fill('fr, be');
    await form.getByLabel('SMS per number per hour').fill('5');
    await form.getByLabel('E-mails for the company per day').fill('');
    await form.getByRole('button', { name: 'Save the limits' }).click();
    await form.getByText('Limits saved.').waitFor();
    await form.getByTestId('countries-in-force').getByText('In force now: BE, FR').waitFor();
    expect(await stack.admin('GET', path)).toMatchObject({
      smsCountries: ['FR', 'BE'],
      smsCountriesInForce: ['BE', 'FR'],
      smsPerNumberPerHour: 5,
      smsPerNumberPerDay: 50,
      mailPerCompanyPerDay: null,
    });
  });

  it('adds a company, which the picker then shows, and renames it', async () => {
    await page.getByRole('button', { name: 'Companies and keys' }).click();
    await page.locator('summary', { hasText: 'Add a company' }).click();
    await page.getByLabel('Name of the new company').fill('Lyon Town Hall');
    await page.getByRole('button', { name: 'Add a company' }).click();
    await page.getByText('Company "Lyon Town Hall" created; the page shows it now.').waitFor();
    const created = (await stack.admin<any[]>('GET', '/admin/companies')).find((company) => company.name === 'Lyon Town Hall');
    expect(created).toBeDefined();
    expect(await page.locator('.company-pick select').inputValue()).toBe(created.id);

    await page.getByLabel('New name of Lyon Town Hall').fill('Mairie de Lyon');
    await page.getByRole('button', { name: 'Rename' }).click();
    await page.getByText('Company renamed "Mairie de Lyon".').waitFor();
    expect((await stack.admin('GET', `/admin/companies/${created.id}`)).name).toBe('Mairie de Lyon');
    await page.locator('.company-pick select').selectOption(stack.info.companyId);
  });

  it('names actions and languages in words in the template picker', async () => {
    await page.getByRole('button', { name: 'Message templates' }).click();
    const options = page.getByLabel('Action').locator('option');
    // The actions follow the queue's alert positions and reminders, listed once its queues are loaded.
    await expect.poll(() => options.allInnerTexts()).toContain('Ticket called');
    const actions = await options.allInnerTexts();
    expect(actions).toContain('Ticket called');
    expect(actions).toContain('Nearly your turn: 2 people ahead');
    expect(actions).toContain('Nearly your turn: 1 person ahead');
    expect(actions).toContain('Reminder the day before at 18:00');
    expect(actions.filter((label) => /^TICKET_/.test(label))).toEqual([]);
    expect(await page.getByLabel('Message language').locator('option').allInnerTexts()).toEqual(['English (US)', 'Français']);
    // The codes stay the values the API stores.
    await page.getByLabel('Action').selectOption('TICKET_CALLED');
    expect(await page.getByLabel('Action').inputValue()).toBe('TICKET_CALLED');
  });

  it('speaks French on the management tabs and in the template picker', async () => {
    await page.locator('.lang-switch select').selectOption('fr');
    await page.getByRole('button', { name: 'Modèles de messages' }).click();
    const options = page.getByLabel('Action').locator('option');
    await expect.poll(() => options.allInnerTexts()).toContain('Ticket appelé');
    const actions = await options.allInnerTexts();
    expect(actions).toContain('Ticket appelé');
    expect(actions).toContain('Bientôt votre tour : 1 personne avant');
    await page.getByRole('button', { name: 'Files et guichets' }).click();
    await page.getByRole('button', { name: `Rendez-vous et horaires: ${QUEUE}` }).click();
    await page.getByTestId('hours-zone').getByText('fuseau Europe/Paris').waitFor();
    await page.getByTestId('opening-hours').getByLabel('lundi').waitFor();
    await page.getByRole('button', { name: 'SMS et e-mail' }).click();
    await page.getByText('Pays où envoyer des SMS').waitFor();
    await page.getByRole('button', { name: 'Sociétés et clés' }).click();
    await page.getByRole('heading', { name: 'Comptes de service' }).waitFor();
    await page.locator('.lang-switch select').selectOption('en');
  });

  it('fits every tab in a 360 px phone', async () => {
    const phone = await (await newContext(browser, stack.queueUrl, PHONE)).newPage();
    await signInAsAdmin(phone);
    const tabs = await phone.getByRole('navigation').getByRole('button').allInnerTexts();
    expect(tabs.length).toBeGreaterThanOrEqual(8);
    const widths: Record<string, number> = {};
    for (const tab of tabs) {
      await phone.getByRole('navigation').getByRole('button', { name: tab, exact: true }).click();
      if (tab === 'Queues and counters') {
        await phone.getByRole('button', { name: `Appointments and hours: ${QUEUE}` }).click();
        await phone.getByTestId('opening-hours').waitFor();
        await phone.getByRole('button', { name: 'Add an exception' }).click();
      }
      if (tab === 'Message log') await phone.getByTestId('messages').waitFor();
      if (tab === 'Companies and keys') await phone.getByTestId('api-keys').waitFor();
      if (tab === 'SMS and e-mail') await phone.getByTestId('limits').waitFor();
      await phone.waitForLoadState('networkidle');
      widths[tab] = await phone.evaluate(() => document.scrollingElement!.scrollWidth);
      await screenshot(phone, `admin-${tab.toLowerCase().replace(/\W+/g, '-')}-phone`);
      expect(widths[tab], `${tab}: ${(await overflowingElements(phone)).join(' | ')}`).toBeLessThanOrEqual(360);
    }
    // The message log shows every column of a row inside the screen, the Open button included.
    await phone.getByRole('navigation').getByRole('button', { name: 'Message log' }).click();
    const open = phone.getByRole('button', { name: /^Open TICKET_BOOKED/ }).first();
    const box = await open.boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(360);
  });
});
