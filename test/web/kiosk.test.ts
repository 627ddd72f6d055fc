/**
 * A walk-in's morning: the admin adds a kiosk and opens its set-up link on a tablet; a visitor
 * takes a ticket there with their phone number, scans the QR code and follows the ticket on their
 * phone; the ticket prints without the buttons; and at the desk staff add a visitor by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { chromiumPath, browserRequired, DESKTOP, launchBrowser, newContext, screenshot } from './support/browser.js';
import { signInAsAdmin, signInAtDesk } from './support/pages.js';
import { startDemoStack, type DemoStack } from './support/stack.js';

const TABLET = { width: 800, height: 1280 };

describe.skipIf(!chromiumPath && !browserRequired)('the kiosk', () => {
  let stack: DemoStack;
  let browser: Browser;
  let tablet: Page;
  let followLink: string;
  let label: string;

  beforeAll(async () => {
    stack = await startDemoStack();
    browser = await launchBrowser();
    const adminPage = await (await newContext(browser, stack.queueUrl, DESKTOP)).newPage();
    await signInAsAdmin(adminPage);
    await adminPage.getByLabel('Kiosk name, e.g. Entrance').fill('Entrance');
    await adminPage.getByRole('button', { name: 'Add a kiosk' }).click();
    const setupLink = await adminPage.getByTestId('kiosk-setup-link').inputValue();
    expect(setupLink).toMatch(/\/kiosk#key=qbk_/);
    await adminPage.getByTestId('kiosks').getByRole('button', { name: 'Revoke Entrance' }).waitFor();
    tablet = await (await newContext(browser, stack.queueUrl, TABLET)).newPage();
    await tablet.goto(setupLink);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('gives a walk-in a ticket with a QR code, keeping the key out of the address bar', async () => {
    await tablet.getByRole('heading', { name: 'Take a ticket' }).waitFor();
    expect(new URL(tablet.url()).hash).toBe('');
    await tablet.getByRole('button', { name: /ID cards and passports/ }).click();
    await tablet.getByLabel('Your mobile number (optional)').fill('+33 6 12 34 56 78');
    await tablet.getByRole('button', { name: 'Get my ticket' }).click();
    await tablet.getByTestId('kiosk-ticket').waitFor();
    label = await tablet.getByTestId('kiosk-label').innerText();
    expect(label).toMatch(/^[A-Z]{1,3}\d{3}$/);
    followLink = (await tablet.getByTestId('kiosk-qr').getAttribute('data-link'))!;
    expect(followLink).toMatch(new RegExp(`^${stack.queueUrl}/\\?follow=tkt_[^#]+#token=`));
    await screenshot(tablet, 'kiosk-ticket');

    // The number was taken for texts: the SMS of the booking is in the message log.
    const tickets = await stack.admin('GET', `/admin/messages?companyId=${stack.info.companyId}&channel=sms`);
    expect(tickets.messages.some((message: any) => message.recipient === '+33612345678')).toBe(true);

    await tablet.emulateMedia({ media: 'print' });
    expect(await tablet.getByRole('button', { name: 'Print my ticket' }).isVisible()).toBe(false);
    expect(await tablet.getByTestId('kiosk-label').isVisible()).toBe(true);
    await tablet.emulateMedia({ media: 'screen' });
    await tablet.getByRole('button', { name: 'Done' }).click();
    await tablet.getByRole('heading', { name: 'Take a ticket' }).waitFor();
  });

  it('follows the walk-in ticket on the phone that scans the code', async () => {
    const phone = await (await newContext(browser, stack.queueUrl)).newPage();
    await phone.goto(followLink);
    await phone.getByTestId('ticket').getByText(label).waitFor();
    expect(new URL(phone.url()).hash).toBe('');
    await phone.reload();
    await phone.getByTestId('ticket').getByText(label).waitFor();
  });

  it('lets staff add a visitor from the desk', async () => {
    const desk = await (await newContext(browser, stack.queueUrl, DESKTOP)).newPage();
    await signInAtDesk(desk, stack);
    await desk.getByLabel('Name (optional)').fill('Grace');
    await desk.getByRole('button', { name: 'Give a ticket' }).click();
    const added = desk.getByText(/^Ticket [A-Z]{1,3}\d{3} added to the line\.$/);
    await added.waitFor();
    const addedLabel = /Ticket (\S+) added/.exec(await added.innerText())![1]!;
    await desk.getByTestId('waiting').getByText(addedLabel).waitFor();
    expect(await desk.getByTestId('waiting').getByText('Grace').count()).toBeGreaterThan(0);
  });
});
