/**
 * The one download() the pages share (web/src/shared/download.ts), through both its callers: the
 * ticket page's calendar entry (docs/design.md §Calendars) and the admin page's analytics CSV, each
 * fetched with its credential in a header and handed to the browser as a named file.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Download, Page } from 'playwright-core';
import { chromiumPath, browserRequired, DESKTOP, launchBrowser, newContext } from './support/browser.js';
import { signInAsAdmin } from './support/pages.js';
import { startDemoStack, type DemoStack } from './support/stack.js';

describe.skipIf(!chromiumPath && !browserRequired)('files the pages download', () => {
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

  const saved = async (page: Page, click: () => Promise<void>): Promise<{ name: string; text: string }> => {
    const download = page.waitForEvent('download');
    await click();
    const file: Download = await download;
    return { name: file.suggestedFilename(), text: readFileSync((await file.path())!, 'utf8') };
  };

  it("gives the ticket page's appointment as an .ics file named after the ticket", async () => {
    const queue = await stack.admin('POST', `/admin/places/${stack.info.placeId}/queues`, { name: 'Appointments', labelPrefix: 'R' });
    await stack.admin('POST', `/admin/queues/${queue.id}/appointmentTypes`, { name: 'Passport pickup', durationMinutes: 30 });
    const page = await (await newContext(browser, stack.queueUrl)).newPage();
    await page.goto(`/?queue=${queue.id}`);
    await page.getByLabel('Later — book a time').check();
    await page.getByLabel('Time').locator('option').nth(1).waitFor({ state: 'attached' });
    await page.getByRole('button', { name: 'Take my ticket' }).click();
    await page
      .getByTestId('ticket')
      .getByText(/^Appointment on /)
      .waitFor();
    const file = await saved(page, () => page.getByRole('button', { name: 'Add to my calendar' }).click());
    expect(file.name).toBe('R001.ics');
    expect(file.text).toMatch(/^BEGIN:VCALENDAR/);
    expect(file.text).toContain('Europe/Paris');
  });

  it("gives the admin page's analytics as a CSV file named after its days", async () => {
    const page = await (await newContext(browser, stack.queueUrl, DESKTOP)).newPage();
    await signInAsAdmin(page);
    await page.getByRole('button', { name: 'Analytics' }).click();
    const from = await page.getByLabel('From (day included)').inputValue();
    const to = await page.getByLabel('To (day included)').inputValue();
    const file = await saved(page, () => page.getByRole('button', { name: 'Download CSV' }).click());
    expect(file.name).toBe(`analytics-${from}-${to}.csv`);
    expect(file.text.split('\r\n')[0]).toMatch(/^day,/);
  });
});
