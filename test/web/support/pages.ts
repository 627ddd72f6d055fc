/** What a person, an operator and an admin do on the pages, as steps the tests share. */
import type { Page } from 'playwright-core';
import { ADMIN_TOKEN, type DemoStack } from './stack.js';

/** The bound for a change to show on another page: "within a second". */
export const WITHIN_A_SECOND = 1_000;

export async function takeTicket(page: Page, name: string): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Your name (optional)').fill(name);
  await page.getByRole('button', { name: 'Take my ticket' }).click();
  await page.getByTestId('ticket').waitFor();
}

export async function signInAtDesk(page: Page, stack: DemoStack, counterId = stack.info.endpointId): Promise<void> {
  await page.goto(`/desk?counter=${counterId}`);
  await page.getByLabel('Login').fill(stack.info.operator.loginId);
  await page.getByLabel('Password').fill(stack.info.operator.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('counter-state').waitFor();
}

export async function openCounter(page: Page): Promise<void> {
  if ((await page.getByTestId('counter-state').innerText()) === 'Open') return;
  await page.getByRole('button', { name: 'Open the counter' }).click();
  await page.getByText('The counter is open').waitFor();
}

export async function signInAsAdmin(page: Page): Promise<void> {
  await page.goto('/admin');
  await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation').waitFor();
}

/** Nothing wider than the viewport: no sideways scrolling on a 360 px phone. */
export function overflowWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

/** The elements sticking out on the right, to say in a failure what breaks the layout. */
export function overflowingElements(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}: ${(el.textContent ?? '').slice(0, 40)}`),
  );
}

/** The ticket page's stored push state (which subscription the fake made for it). */
export async function storedPush(page: Page): Promise<{ pushId: string; demoSubscriptionId: string }> {
  return page.evaluate(() => JSON.parse(localStorage.getItem('qb.push') ?? 'null'));
}
