/**
 * The admin page against a real queue service whose webhook delivers to the real push server: the
 * message log shows a delivered webhook with its attempts, and a replay makes a new delivery; queue
 * settings, message templates and secret rotation reach the API.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { chromiumPath, browserRequired, DESKTOP, launchBrowser, newContext } from './support/browser.js';
import { openCounter, signInAsAdmin, signInAtDesk, takeTicket } from './support/pages.js';
import { startDemoStack, type DemoStack } from './support/stack.js';

describe.skipIf(!chromiumPath && !browserRequired)('the admin page', () => {
  let stack: DemoStack;
  let browser: Browser;
  let page: Page;
  let ticketId: string;

  beforeAll(async () => {
    stack = await startDemoStack();
    browser = await launchBrowser();
    const person = await (await newContext(browser, stack.queueUrl)).newPage();
    await takeTicket(person, 'Ada');
    const desk = await (await newContext(browser, stack.queueUrl, DESKTOP)).newPage();
    await signInAtDesk(desk, stack);
    await openCounter(desk);
    await desk.getByRole('button', { name: 'Call next' }).click();
    await desk.getByText('A001 called to Counter 1.').waitFor();
    // The webhook to the push server is delivered in the background; the log shows it once it is.
    const called = async () =>
      (await stack.admin('GET', `/admin/messages?companyId=${stack.info.companyId}`)).messages.find(
        (m: any) => m.action === 'TICKET_CALLED',
      );
    await vi.waitFor(async () => expect((await called())?.status).toBe('delivered'), { timeout: 10_000, interval: 100 });
    ticketId = (await called()).ticketId;
    page = await (await newContext(browser, stack.queueUrl, DESKTOP)).newPage();
    await signInAsAdmin(page);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('shows the delivered webhook with its attempts, and a replay produces a new delivery', async () => {
    await page.getByRole('button', { name: 'Message log' }).click();
    await page.getByLabel('Ticket id').fill(ticketId);
    await page.getByLabel('Status').selectOption('delivered');
    await page.getByLabel('Destination').selectOption(stack.info.webhookId);
    await page.getByRole('button', { name: 'Show' }).click();
    const rows = page.getByTestId('messages').locator('tbody tr');
    await rows.filter({ hasText: 'TICKET_CALLED' }).waitFor();
    expect(await rows.allInnerTexts()).toHaveLength(2);

    await page.getByRole('button', { name: /^Open TICKET_CALLED/ }).click();
    const attempts = page.getByTestId('attempts').locator('tbody tr');
    await attempts.first().waitFor();
    expect(await attempts.count()).toBe(1);
    expect(await attempts.first().innerText()).toMatch(/202\s+delivered/);

    await page.getByRole('button', { name: 'Replay this message' }).click();
    await page.getByText('Replayed: a new delivery is on its way').waitFor();
    await attempts.nth(1).waitFor();
    await page.getByTestId('message-status').getByText('delivered').waitFor();
    // The push server saw the same webhook-id again and said so: delivered once in effect.
    expect(await attempts.nth(1).innerText()).toContain('"duplicate":true');
    const message = (await stack.admin('GET', `/admin/messages?ticketId=${ticketId}`)).messages.find(
      (m: any) => m.action === 'TICKET_CALLED',
    );
    expect(message).toMatchObject({ status: 'delivered', replayCount: 1 });
  });

  it('shows what the public pages use, saves a change that /config.json serves at once, and sets the retention', async () => {
    await page.getByRole('button', { name: 'Pages and privacy' }).click();
    const serverUrl = page.getByLabel('Push server URL');
    await expect.poll(() => serverUrl.inputValue()).toBe(stack.pushUrl);
    expect(await page.getByLabel('Booking key').inputValue()).toBe(stack.info.bookingKey);
    await serverUrl.fill('https://push.example.com');
    await page.getByRole('button', { name: 'Save', exact: true }).first().click();
    await page.getByText('Saved: the pages use these values now.').waitFor();
    const config = await (await fetch(`${stack.queueUrl}/config.json`)).json();
    expect(config.push.serverUrl).toBe('https://push.example.com');
    expect(config.demo).not.toBeNull();

    await page.getByLabel('Days').fill('90');
    await page.getByRole('button', { name: 'Save', exact: true }).last().click();
    await page.getByText('Personal data of this company is now kept 90 days.').waitFor();
    expect((await stack.admin('GET', `/admin/companies/${stack.info.companyId}`)).retentionDays).toBe(90);
    // Put the demo back as it was, for the tests after this one.
    await stack.admin('PUT', '/admin/pages', { ...config, push: { ...config.push, serverUrl: stack.pushUrl } });
  });

  it('saves queue settings: alert positions, timeouts, a reminder and a deadline', async () => {
    await page.getByRole('button', { name: 'Queues and counters' }).click();
    await page.getByRole('button', { name: 'Settings: ID cards and passports' }).click();
    const form = page.getByTestId('queue-settings');
    await form.getByLabel('Alert when this many people are ahead (e.g. 2, 1: nearly your turn, then next)').fill('3, 1');
    await form.getByLabel('On hold becomes no show after (minutes)').fill('7');
    await form.getByLabel('Minutes or time').fill('30');
    await form.getByRole('button', { name: 'Add a reminder' }).click();
    await form.getByLabel('TICKET_CALLED').fill('2');
    await form.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    const queue = await stack.admin('GET', `/admin/queues/${stack.info.queueId}`);
    expect(queue.settings).toMatchObject({
      alertPositions: [3, 1],
      onHoldTimeoutMinutes: 7,
      // After the two reminders every queue has by default.
      reminders: [
        { id: 1, dayBefore: true, at: '18:00' },
        { id: 2, minutesBefore: 120 },
        { id: 3, minutesBefore: 30 },
      ],
      deliverBySeconds: { TICKET_CALLED: 120 },
    });
  });

  it("shows a queue's link as a QR code to print", async () => {
    await page.getByRole('button', { name: 'Queues and counters' }).click();
    await page.getByText('QR code to print').first().click();
    const image = page.getByTestId('queue-qr').first();
    await image.waitFor();
    expect(await image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    expect(await page.locator('.qr figcaption').first().innerText()).toBe(`${stack.queueUrl}/?queue=${stack.info.queueId}`);
  });

  it('previews and saves a message template for one action and language', async () => {
    await page.getByRole('button', { name: 'Message templates' }).click();
    await page.getByLabel('Action').selectOption('TICKET_CALLED');
    await page.getByLabel('Message language').selectOption('fr_FR');
    await page.getByLabel('Text').fill('{label} : au {counter}, vite !');
    await page.getByTestId('template-preview').getByText('A012 : au Guichet 3, vite !').waitFor();
    await page.getByRole('button', { name: 'Save the text' }).click();
    await page.getByText('Text saved').waitFor();
    const queue = await stack.admin('GET', `/admin/queues/${stack.info.queueId}`);
    // The form starts from the built-in text, so the subject the admin left alone is kept.
    expect(queue.settings.templates).toEqual({
      TICKET_CALLED: { fr_FR: { subject: "C'est votre tour", text: '{label} : au {counter}, vite !' } },
    });
  });

  it("rotates a destination's secret and shows the new one once", async () => {
    await page.getByRole('button', { name: 'Webhooks' }).click();
    const hook = page.getByTestId('webhook').first();
    await hook.getByText('healthy').waitFor();
    await hook.getByRole('button', { name: 'Rotate the secret' }).click();
    const secret = await page.getByTestId('secret').inputValue();
    expect(secret).toMatch(/^whsec_/);
    const webhook = await stack.admin('GET', `/admin/webhooks/${stack.info.webhookId}`);
    expect(webhook.secrets).toHaveLength(2);
    await hook.getByText('2 signing secrets').waitFor();
  });
});
