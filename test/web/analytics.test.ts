/**
 * The admin page's analytics tab against a real queue service: a few visits made through the API
 * today, then the tab's figures, its three charts (the numbers each one draws) and the per-queue
 * table are checked against the analytics API, in English and in French, with a screenshot.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { chromiumPath, browserRequired, DESKTOP, launchBrowser, newContext, screenshot } from './support/browser.js';
import { signInAsAdmin } from './support/pages.js';
import { startDemoStack, type DemoStack } from './support/stack.js';

describe.skipIf(!chromiumPath && !browserRequired)('the analytics tab', () => {
  let stack: DemoStack;
  let browser: Browser;
  let page: Page;
  let api: any;

  beforeAll(async () => {
    stack = await startDemoStack();
    const { bookingKey, queueId, endpointId, operatorKey } = stack.info;
    const call = async (method: string, path: string, key: string, body?: unknown, token?: string) => {
      const response = await fetch(stack.queueUrl + path, {
        method,
        headers: {
          'x-api-key': key,
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      });
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
      return response.json();
    };
    // Four people, each with a user of their own: fair use lets one user hold one open ticket.
    for (let i = 0; i < 4; i++) {
      const user = await call('POST', '/v2/users', bookingKey);
      await call('POST', `/v2/queues/${queueId}/ticket`, bookingKey, { groupSize: 1 }, user.jwtToken);
    }
    await call('PUT', `/v2/endpoints/${endpointId}`, operatorKey, { isOpen: true });
    const first = await call('POST', `/v2/endpoints/${endpointId}/next`, operatorKey);
    const ticketId = first.ticketId;
    await call('PUT', `/v2/endpoints/${endpointId}/tickets/${ticketId}/state`, operatorKey, { state: 500 });
    await call('PUT', `/v2/endpoints/${endpointId}/tickets/${ticketId}/state`, operatorKey, { state: 700 });
    const second = await call('POST', `/v2/endpoints/${endpointId}/next`, operatorKey);
    const secondId = second.ticketId;
    await call('PUT', `/v2/endpoints/${endpointId}/tickets/${secondId}/state`, operatorKey, { state: 300 });
    await call('PUT', `/v2/endpoints/${endpointId}/tickets/${secondId}/state`, operatorKey, { state: 400 });
    api = await stack.admin('GET', `/admin/places/${stack.info.placeId}/analytics`);
    browser = await launchBrowser();
    page = await (await newContext(browser, stack.queueUrl, DESKTOP)).newPage();
    await signInAsAdmin(page);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it("shows today's figures and charts as the API counts them", async () => {
    expect([api.totals.visits, api.totals.served, api.totals.noShows]).toEqual([4, 1, 1]);
    await page.getByRole('button', { name: 'Analytics' }).click();
    const totals = page.getByTestId('analytics-totals');
    await totals.waitFor();
    const figure = (name: string) => totals.locator(`[data-figure="${name}"] dd`).innerText();
    expect([await figure('visits'), await figure('served'), await figure('noShows'), await figure('canceled')]).toEqual([
      '4',
      '1',
      '1',
      '0',
    ]);
    await page.getByText(`Days and hours are those of the place (${api.timeZone})`).waitFor();

    const drawn = async (testId: string) => JSON.parse((await page.getByTestId(testId).getAttribute('data-values')) ?? 'null');
    const today = api.days.at(-1);
    expect(await drawn('chart-hours')).toEqual(api.hours.map((hour: any) => hour.visits));
    expect(await drawn('chart-waits')).toEqual(api.waits.map((band: any) => band.tickets));
    expect((await drawn('chart-no-shows')).at(-1)).toBe(Math.round((today.noShows / today.visits) * 1000) / 10);
    // uPlot really drew: one canvas per chart, with pixels on it.
    expect(await page.locator('.chart canvas').count()).toBe(3);
    const inked = await page.evaluate(() => {
      const canvas = document.querySelector('[data-testid="chart-hours"] canvas') as HTMLCanvasElement;
      const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let coloured = 0;
      for (let i = 0; i < pixels.length; i += 4) if (pixels[i + 3]! > 0) coloured++;
      return coloured;
    });
    expect(inked).toBeGreaterThan(100);

    const queueRow = page.getByTestId('by-queue').locator('tbody tr').first();
    const queue = api.queues[0];
    expect(await queueRow.locator('th').innerText()).toBe(queue.name);
    expect((await queueRow.locator('td').allInnerTexts()).slice(0, 4)).toEqual(
      [queue.visits, queue.served, queue.noShows, queue.canceled].map(String),
    );
    await screenshot(page, 'admin-analytics');
  });

  it('exports the CSV and speaks French', async () => {
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download CSV' }).click();
    const file = await download;
    const path = await file.path();
    const lines = readFileSync(path, 'utf8').trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^day,queueId,queue,counterId,counter,visits/);
    const visits = lines.slice(1).reduce((sum, line) => sum + Number(line.split(',')[5]), 0);
    expect(visits).toBe(api.totals.visits);

    await page.getByLabel('Language').selectOption('fr');
    await page.getByRole('button', { name: 'Statistiques' }).waitFor();
    await page.getByTestId('analytics-totals').getByText('Attente médiane').waitFor();
    await page.getByRole('heading', { name: /^Du \d{4}-\d{2}-\d{2} au / }).waitFor();
  });
});
