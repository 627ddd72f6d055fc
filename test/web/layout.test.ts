/**
 * Each page as people see it: screenshots at phone (360 px) and desktop widths for a reviewer
 * (test-artifacts/web/, ignored by git), nothing wider than a 360 px phone, every control labelled,
 * the keyboard enough to take a ticket and call the next one with a focus ring that shows, and the
 * ticket page in French.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { chromiumPath, browserRequired, DESKTOP, PHONE, launchBrowser, newContext, screenshot } from './support/browser.js';
import { openCounter, overflowWidth, overflowingElements, signInAsAdmin, signInAtDesk, takeTicket } from './support/pages.js';
import { startDemoStack, type DemoStack } from './support/stack.js';

/** Controls a screen reader could not name: inputs, selects and textareas without a label. */
function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('input, select, textarea')]
      .filter((el) => el.getAttribute('type') !== 'hidden')
      .filter(
        (el) =>
          ((el as HTMLInputElement).labels?.length ?? 0) === 0 && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'),
      )
      .map((el) => el.outerHTML.slice(0, 120)),
  );
}

describe.skipIf(!chromiumPath && !browserRequired)('the pages at phone and desktop sizes', () => {
  let stack: DemoStack;
  let browser: Browser;

  let person: Page;

  /** The scene every screenshot shows: Ada called at Counter 1, Grace waiting. */
  beforeAll(async () => {
    stack = await startDemoStack();
    browser = await launchBrowser();
    person = await (await newContext(browser, stack.queueUrl, PHONE)).newPage();
    await takeTicket(person, 'Ada');
    await takeTicket(await (await newContext(browser, stack.queueUrl, PHONE)).newPage(), 'Grace');
    await screenshot(person, 'ticket-waiting-phone');
    const desk = await (await newContext(browser, stack.queueUrl, DESKTOP)).newPage();
    await signInAtDesk(desk, stack);
    await openCounter(desk);
    await desk.getByRole('button', { name: 'Call next' }).click();
    await desk.getByText('A001 called to Counter 1.').waitFor();
    await desk.context().close();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  /** Opens a page at both sizes, checks it, and saves its screenshots. */
  async function atBothSizes(name: string, open: (page: Page) => Promise<void>): Promise<void> {
    for (const [size, viewport] of [
      ['phone', PHONE],
      ['desktop', DESKTOP],
    ] as const) {
      const page = await (await newContext(browser, stack.queueUrl, viewport)).newPage();
      await open(page);
      await screenshot(page, `${name}-${size}`);
      if (size === 'phone')
        expect(
          await overflowWidth(page),
          `${name} is wider than a 360 px phone: ${(await overflowingElements(page)).join(' | ')}`,
        ).toBeLessThanOrEqual(0);
      expect(await unlabelledControls(page), `${name} has unlabelled controls`).toEqual([]);
      await page.context().close();
    }
  }

  it('lays out the ticket page, from the booking form to a called ticket', async () => {
    await atBothSizes('ticket-form', async (page) => {
      await page.goto('/');
      await page.getByRole('button', { name: 'Take my ticket' }).waitFor();
    });
    await person.getByText('Called — go to Counter 1').waitFor();
    await person.getByTestId('demo-payload').getByText("it's your turn").waitFor();
    await screenshot(person, 'ticket-called-phone');
    expect(await overflowWidth(person)).toBeLessThanOrEqual(0);
    await person.setViewportSize(DESKTOP);
    await screenshot(person, 'ticket-called-desktop');
    // In French, with the counter's French name from the display API.
    await person.getByLabel('Language').selectOption('fr');
    await person.getByTestId('ticket-headline').getByText('Appelé — présentez-vous au Guichet 1').waitFor();
    await screenshot(person, 'ticket-called-fr-desktop');
  });

  it('lays out the desk, the display board and the admin page', async () => {
    await atBothSizes('desk', async (page) => {
      await signInAtDesk(page, stack);
      await page.getByTestId('at-counter').waitFor();
    });
    await atBothSizes('display', async (page) => {
      await page.goto(`/display/${stack.info.placeId}`);
      await page.getByTestId('now-serving').waitFor();
    });
    await atBothSizes('admin-messages', async (page) => {
      await signInAsAdmin(page);
      await page.getByRole('button', { name: 'Message log' }).click();
      await page.getByRole('button', { name: /^Open TICKET_CALLED/ }).click();
      await page.getByTestId('attempts').waitFor();
    });
    await atBothSizes('admin-settings', async (page) => {
      await signInAsAdmin(page);
      await page.getByRole('button', { name: 'Settings: ID cards and passports' }).click();
      await page.getByTestId('queue-settings').waitFor();
    });
  });

  it('takes a ticket and calls the next one with the keyboard alone, with a visible focus ring', async () => {
    const person = await (await newContext(browser, stack.queueUrl, PHONE)).newPage();
    await person.goto('/');
    await person.getByLabel('Your name (optional)').focus();
    await person.keyboard.type('Kim');
    await person.keyboard.press('Enter');
    await person.getByTestId('ticket').getByText('A003').waitFor();

    const desk = await (await newContext(browser, stack.queueUrl, DESKTOP)).newPage();
    await signInAtDesk(desk, stack);
    await desk.getByRole('button', { name: 'Done A001' }).click();
    await desk.getByText('A001 done.').waitFor();
    await desk
      .getByRole('button', { name: 'Done A002' })
      .waitFor({ state: 'detached' })
      .catch(() => {});
    // Six languages to pass in the switch, then the counter bar.
    for (let presses = 0; presses < 60; presses += 1) {
      await desk.keyboard.press('Tab');
      if (await desk.evaluate(() => document.activeElement?.textContent === 'Call next')) break;
    }
    expect(await desk.evaluate(() => document.activeElement?.textContent)).toBe('Call next');
    const ring = await desk.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(ring).not.toBe('none');
    await desk.keyboard.press('Enter');
    await desk.getByText('A002 called to Counter 1.').waitFor();
  });

  it('speaks French when the person asks for it', async () => {
    await atBothSizes('ticket-form-fr', async (page) => {
      await page.goto('/?lang=fr');
      await page.getByRole('button', { name: 'Prendre mon ticket' }).waitFor();
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('fr');
    });
  });
});
