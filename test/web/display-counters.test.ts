/**
 * The display board in a real browser, loaded while Counter 1 is closed: when the operator opens
 * it at the desk, the board shows it open without a reload, and closed again when it closes.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { browserRequired, chromiumPath, DESKTOP, launchBrowser, newContext } from './support/browser.js';
import { openCounter, signInAtDesk } from './support/pages.js';
import { type DemoStack, startDemoStack } from './support/stack.js';

describe.skipIf(!chromiumPath && !browserRequired)('the display board and its counters', () => {
  let stack: DemoStack;
  let browser: Browser;
  let desk: Page;
  let board: Page;

  beforeAll(async () => {
    stack = await startDemoStack();
    browser = await launchBrowser();
    desk = await (await newContext(browser, stack.queueUrl, DESKTOP)).newPage();
    board = await (await newContext(browser, stack.queueUrl, DESKTOP)).newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('shows a counter opened or closed after the board loaded', async () => {
    await signInAtDesk(desk, stack);
    if ((await desk.getByTestId('counter-state').innerText()) === 'Open') {
      await desk.getByRole('button', { name: 'Close the counter' }).click();
      await desk.getByTestId('counter-state').getByText('Closed').waitFor();
    }
    await board.goto(`/display/${stack.info.placeId}`);
    await board.getByTestId('connection').getByText('Live').waitFor();
    const counterOne = (state: 'open' | 'closed') =>
      board.locator(`.counter-grid li.${state}`, { has: board.locator('.counter-name', { hasText: /^Counter 1$/ }) });
    await counterOne('closed').waitFor();

    await openCounter(desk);
    await counterOne('open').waitFor({ timeout: 5_000 });

    await desk.getByRole('button', { name: 'Close the counter' }).click();
    await counterOne('closed').waitFor({ timeout: 5_000 });
  });
});
