/**
 * The machine's Chromium for the browser tests. Missing locally: the suite is skipped with a loud
 * notice. Missing where CI requires it (QUEUEBELL_TEST_BROWSER=required): the suite fails.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const CANDIDATES = [process.env.QUEUEBELL_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter(
  Boolean,
) as string[];

export const chromiumPath = CANDIDATES.find((path) => existsSync(path)) ?? null;
export const browserRequired = process.env.QUEUEBELL_TEST_BROWSER === 'required';

if (!chromiumPath && !browserRequired) {
  const bar = '!'.repeat(78);
  console.warn(
    `\n${bar}\n!! BROWSER SUITE SKIPPED: no Chromium at ${CANDIDATES.join(', ')}.\n!! Install Debian's chromium (or set QUEUEBELL_CHROMIUM) to run the web page tests.\n${bar}\n`,
  );
}

export function launchBrowser(): Promise<Browser> {
  if (!chromiumPath) throw new Error(`QUEUEBELL_TEST_BROWSER=required but no Chromium was found at ${CANDIDATES.join(', ')}`);
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export const PHONE = { width: 360, height: 740 };
export const DESKTOP = { width: 1280, height: 800 };

/** A person's or an operator's own browser: separate storage, the page's origin allowed to notify. */
export async function newContext(browser: Browser, baseURL: string, viewport = PHONE): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL, viewport, locale: 'en-US' });
  await context.grantPermissions(['notifications'], { origin: baseURL });
  // Fail a step well before the test's own timeout, with the locator that was awaited.
  context.setDefaultTimeout(10_000);
  return context;
}

export const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'web');

/** Screenshots for a reviewer, at phone and desktop widths; test-artifacts/ is ignored by git. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}
