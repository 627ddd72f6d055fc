/**
 * Moving tickets in the pages (docs/design.md §Moving tickets): the person says "running late" and
 * "I'm here" from the ticket page and the desk shows it; call next while a ticket is still called
 * asks what became of it, and does as told; the desk moves a waiting ticket to another queue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { chromiumPath, browserRequired, DESKTOP, launchBrowser, newContext } from './support/browser.js';
import { WITHIN_A_SECOND, openCounter, signInAtDesk } from './support/pages.js';
import { startDemoStack, type DemoStack } from './support/stack.js';

describe.skipIf(!chromiumPath && !browserRequired)('moving tickets in the pages', () => {
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

  async function person(): Promise<Page> {
    const page = await (await newContext(browser, stack.queueUrl)).newPage();
    await page.goto(`/?queue=${stack.info.queueId}`);
    await page.getByRole('button', { name: 'Take my ticket' }).click();
    await page.getByTestId('ticket').waitFor();
    return page;
  }

  it('shows the desk a person running late, then here; call next asks what became of the called ticket', async () => {
    const first = await person();
    await first.getByTestId('ticket').getByText('A001').waitFor();
    const second = await person();
    await second.getByTestId('ticket').getByText('A002').waitFor();
    const desk = await (await newContext(browser, stack.queueUrl, DESKTOP)).newPage();
    await signInAtDesk(desk, stack);
    await openCounter(desk);

    await second.getByLabel('Late by').selectOption('15');
    await second.getByRole('button', { name: "I'm running late" }).click();
    await second.getByTestId('running-late').getByText('You told us you are running about 15 min late.').waitFor();
    // The queue-state stream speaks of counts, which a check-in does not change: the desk shows it at its next load.
    await desk.reload();
    const waiting = desk.getByTestId('waiting');
    await waiting.getByText('Late ~15 min').waitFor();

    await second.getByRole('button', { name: "I'm here" }).click();
    await second.getByTestId('checked-in').getByText('You told us you are here.').waitFor();
    await desk.reload();
    await waiting.getByText('Here', { exact: true }).waitFor();
    expect(await waiting.getByText('Late ~15 min').count()).toBe(0);

    await desk.getByRole('button', { name: 'Call next' }).click();
    await desk.getByText('A001 called to Counter 1.').waitFor();
    await desk.getByRole('button', { name: 'Call next' }).click();
    const dialog = desk.getByTestId('call-next-dialog');
    await dialog.getByText('A001 is still called here').waitFor();
    await dialog.getByRole('button', { name: 'A001 was served' }).click();
    await desk.getByText('A002 called to Counter 1.').waitFor();
    expect(await dialog.count()).toBe(0);
    await first.getByTestId('ticket-headline').getByText('Done — thank you for your visit').waitFor({ timeout: WITHIN_A_SECOND });
    await second.getByTestId('ticket-headline').getByText('Called — go to Counter 1').waitFor({ timeout: WITHIN_A_SECOND });
  });

  it("moves a waiting ticket to the end of another of the counter's queues through the dialog", async () => {
    const placeId = stack.info.placeId;
    const first = await stack.admin('POST', `/admin/places/${placeId}/queues`, { name: 'Permits', labelPrefix: 'P' });
    const second = await stack.admin('POST', `/admin/places/${placeId}/queues`, { name: 'Returns', labelPrefix: 'R' });
    const counter = await stack.admin('POST', `/admin/places/${placeId}/endpoints`, { name: 'Counter M', queueIds: [first.id, second.id] });
    const operator = await counterApi(counter.id);
    const { ticket } = await operator('POST', '/walk-ins', { queueId: first.id });
    expect(ticket.queue.queueId).toBe(first.id);
    // Joined after it: keeping its place would put the moved ticket ahead of this one, the end behind it.
    await operator('POST', '/walk-ins', { queueId: second.id });

    const desk = await (await newContext(browser, stack.queueUrl, DESKTOP)).newPage();
    await signInAtDesk(desk, stack, counter.id);
    const row = desk.getByTestId('waiting').getByRole('row').filter({ hasText: ticket.label });
    await row.getByRole('button', { name: 'Move' }).click();
    const dialog = desk.getByTestId('move-dialog');
    await dialog.getByLabel('To', { exact: true }).selectOption({ label: 'Returns' });
    await dialog.getByLabel('Go to the end').check();
    await dialog.getByRole('button', { name: `Move ${ticket.label}` }).click();
    await desk.getByText(`${ticket.label} moved to the end of Returns.`).waitFor();
    expect(await dialog.count()).toBe(0);

    const moved = await operator('GET', `/tickets/${ticket.ticketId}`);
    expect(moved.queue.queueId).toBe(second.id);
    expect(moved.state).toBe(100);
    expect(moved.ticketPosition?.queue.tickets).toBe(1);
  });

  /** The validation API at one counter, with an operator token from signing in there. */
  async function counterApi(counterId: string) {
    const call = async (method: string, path: string, body?: unknown, token?: string) => {
      const response = await fetch(stack.queueUrl + path, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
      return response.json();
    };
    const { loginId, password } = stack.info.operator;
    const { token } = await call('POST', `/v2/operator/endpoint/${counterId}/login`, { loginId, password });
    return (method: string, path: string, body?: unknown) => call(method, `/v2/endpoints/${counterId}${path}`, body, token);
  }
});
