/**
 * What a person does with a ticket besides waiting: book an appointment for a free time and move
 * it, cancel, confirm they are coming when the queue asks, and rate the visit once it is done.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { chromiumPath, browserRequired, DESKTOP, launchBrowser, newContext } from './support/browser.js';
import { WITHIN_A_SECOND, openCounter, signInAtDesk } from './support/pages.js';
import { startDemoStack, type DemoStack } from './support/stack.js';

describe.skipIf(!chromiumPath && !browserRequired)('what a person does with a ticket', () => {
  let stack: DemoStack;
  let browser: Browser;

  beforeAll(async () => {
    stack = await startDemoStack();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  async function personAt(queueId: string): Promise<Page> {
    const page = await (await newContext(browser, stack.queueUrl)).newPage();
    await page.goto(`/?queue=${queueId}`);
    return page;
  }

  it('books an appointment for a free time, moves it to another time, then cancels it', async () => {
    const queue = await stack.admin('POST', `/admin/places/${stack.info.placeId}/queues`, { name: 'Appointments', labelPrefix: 'R' });
    await stack.admin('POST', `/admin/queues/${queue.id}/appointmentTypes`, { name: 'Passport pickup', durationMinutes: 30 });
    const page = await personAt(queue.id);
    await page.getByLabel('Later — book a time').check();
    const times = page.getByLabel('Time');
    await times.locator('option').nth(1).waitFor({ state: 'attached' });
    await page.getByRole('button', { name: 'Take my ticket' }).click();
    await page
      .getByTestId('ticket')
      .getByText(/^Appointment on /)
      .waitFor();
    const booked = await firstTicket(page);
    expect(booked.isAnAppointment).toBe(true);

    await page.getByRole('button', { name: 'Move my appointment' }).click();
    const moveTo = page.getByTestId('ticket').getByLabel('Time');
    await moveTo.locator('option').nth(1).waitFor({ state: 'attached' });
    await moveTo.selectOption({ index: 1 });
    await page.getByRole('button', { name: 'Move it to this time' }).click();
    await page.getByText('Your appointment is moved.').waitFor();
    expect((await firstTicket(page)).bookedFor).not.toBe(booked.bookedFor);

    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Cancel my ticket' }).click();
    await page.getByTestId('ticket-headline').getByText('Ticket canceled').waitFor();
  });

  it('asks the person to confirm they are coming, then lets them rate the visit once it is done', async () => {
    const queue = await stack.admin('POST', `/admin/places/${stack.info.placeId}/queues`, {
      name: 'Confirmed visits',
      labelPrefix: 'C',
      settings: { confirmRequired: true, alertThreshold: 0 },
    });
    const counter = await stack.admin('POST', `/admin/places/${stack.info.placeId}/endpoints`, { name: 'Counter C', queueIds: [queue.id] });
    const first = await personAt(queue.id);
    await first.getByRole('button', { name: 'Take my ticket' }).click();
    await first.getByTestId('ticket').getByText('C001').waitFor();
    const page = await personAt(queue.id);
    await page.getByRole('button', { name: 'Take my ticket' }).click();
    await page.getByTestId('ticket-headline').getByText('You are in the queue').waitFor();

    // The line moves: C002 is now near the head, and this queue asks before alerting.
    const desk = await (await newContext(browser, stack.queueUrl, DESKTOP)).newPage();
    await signInAtDesk(desk, stack, counter.id);
    await openCounter(desk);
    await desk.getByRole('button', { name: 'Call next' }).click();
    await desk.getByText('C001 called to Counter C.').waitFor();
    await page.getByTestId('ticket-headline').getByText('Please confirm you are coming').waitFor({ timeout: WITHIN_A_SECOND });
    await page.getByRole('button', { name: 'I am coming' }).click();
    await page.getByText('Thank you, we know you are coming.').waitFor();
    await page.getByTestId('ticket-headline').getByText('Your turn is near — please come back').waitFor();

    await desk.getByRole('button', { name: 'Done C001' }).click();
    await desk.getByText('C001 done.').waitFor();
    await desk.getByRole('button', { name: 'Call next' }).click();
    await desk.getByRole('button', { name: 'Start serving C002' }).click();
    await page.getByTestId('ticket-headline').getByText('Being served at Counter C').waitFor({ timeout: WITHIN_A_SECOND });
    await desk.getByRole('button', { name: 'Done C002' }).click();
    await page.getByTestId('ticket-headline').getByText('Done — thank you for your visit').waitFor({ timeout: WITHIN_A_SECOND });

    // Stars are radio buttons: reachable and chosen with the keyboard too.
    await page.getByRole('radio', { name: '5 stars' }).focus();
    await page.keyboard.press('Space');
    await page.getByLabel('Anything to add? (optional)').fill('Quick and kind.');
    await page.getByRole('button', { name: 'Send my rating' }).click();
    await page.getByText('You rated this visit 5/5.').waitFor();
    expect((await firstTicket(page)).rating).toEqual({ rating: 5, comment: 'Quick and kind.' });
  });

  it('says when the connection is lost, reconnects by itself and shows what changed meanwhile', async () => {
    const person = await newContext(browser, stack.queueUrl);
    const page = await person.newPage();
    await page.goto('/');
    await page.getByRole('button', { name: 'Take my ticket' }).click();
    const badge = page.getByTestId('connection');
    await badge.getByText('Live').waitFor();
    // Booked near the head, the ticket may have been alerted at once: the page shows whichever it is.
    const waiting = (await firstTicket(page)).state === 100 ? 'Your turn is near — please come back' : 'You are in the queue';
    await page.getByTestId('ticket-headline').getByText(waiting).waitFor();

    await person.setOffline(true);
    await badge.getByText('Connection lost — reconnecting…').waitFor();
    const desk = await (await newContext(browser, stack.queueUrl, DESKTOP)).newPage();
    await signInAtDesk(desk, stack);
    await openCounter(desk);
    await desk.getByRole('button', { name: 'Call next' }).click();
    await desk.getByText('called to Counter 1.').waitFor();
    expect(await page.getByTestId('ticket-headline').innerText()).toBe(waiting);

    await person.setOffline(false);
    await badge.getByText('Live').waitFor();
    await page.getByTestId('ticket-headline').getByText('Called — go to Counter 1').waitFor();
  });

  /** The person's latest ticket as the API has it, read with the page's own user token. */
  async function firstTicket(page: Page): Promise<any> {
    const user = await page.evaluate(() => JSON.parse(localStorage.getItem('qb.user')!));
    const response = await fetch(`${stack.queueUrl}/v2/user/tickets`, {
      headers: { 'x-api-key': user.bookingKey, authorization: `Bearer ${user.jwtToken}` },
    });
    const tickets = Object.values((await response.json()).tickets) as any[];
    return tickets.sort((a, b) => b.timeline.bookedAt.localeCompare(a.timeline.bookedAt))[0];
  }
});
