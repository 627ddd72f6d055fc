/**
 * The admin page's Operators tab, each step checked through the admin API afterwards: add an
 * operator with a login, password, name and role (and the API's refusal of a login taken); give
 * them another role in one queue, which the operator's own roles route then shows in that queue;
 * change their role; clear the queue's role; delete them, asked first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { chromiumPath, browserRequired, DESKTOP, PHONE, launchBrowser, newContext, screenshot } from './support/browser.js';
import { overflowingElements, signInAsAdmin } from './support/pages.js';
import { startDemoStack, type DemoStack } from './support/stack.js';

const QUEUE = 'ID cards and passports';
const PASSWORD = 'correct-horse-42';

describe.skipIf(!chromiumPath && !browserRequired)('operators and their roles per queue on the admin page', () => {
  let stack: DemoStack;
  let browser: Browser;
  let page: Page;
  let tab: Locator;

  beforeAll(async () => {
    stack = await startDemoStack();
    browser = await launchBrowser();
    page = await (await newContext(browser, stack.queueUrl, DESKTOP)).newPage();
    await signInAsAdmin(page);
    await page.getByRole('navigation').getByRole('button', { name: 'Operators' }).click();
    tab = page.getByTestId('operators');
    await tab.getByTestId(`operator-${stack.info.operator.loginId}`).waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  const operators = () => stack.admin<any[]>('GET', `/admin/companies/${stack.info.companyId}/operators`);
  const maria = async () => (await operators()).find((operator) => operator.loginId === 'maria');
  const queueRolesOf = (operatorId: string) => stack.admin<any[]>('GET', `/admin/operators/${operatorId}/queueRoles`);
  /** The operator's own sign-in, and the roles the validation API gives them per queue. */
  const rolesSeenByOperator = async () => {
    const pre = await fetch(`${stack.queueUrl}/v2/operator/preLogin?key=${stack.info.bookingKey}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ loginId: 'maria', password: PASSWORD }),
    });
    expect(pre.status).toBe(200);
    const { token } = (await pre.json()) as { token: string };
    const roles = await fetch(`${stack.queueUrl}/v2/operator/roles`, { headers: { authorization: `Bearer ${token}` } });
    expect(roles.status).toBe(200);
    const tree = (await roles.json()) as Record<string, Record<string, Record<string, any>>>;
    return tree[stack.info.companyId]![stack.info.placeId]![stack.info.queueId]!;
  };

  it('adds an operator with a role, and shows the refusal of a login already taken', async () => {
    await tab.locator('summary', { hasText: 'Add an operator' }).click();
    const form = tab.locator('details.create').last();
    await form.getByLabel('Login').fill(stack.info.operator.loginId);
    await form.getByLabel('Password').fill(PASSWORD);
    await form.getByRole('button', { name: 'Add an operator' }).click();
    await tab.getByTestId('notice-error').getByText('An operator with this login id already exists.').waitFor();
    expect(await operators()).toHaveLength(1);

    await form.getByLabel('Login').fill('maria');
    await form.getByLabel('Name shown at the desk (optional)').fill('Maria');
    await form.getByLabel('Canceled').uncheck();
    await form.getByLabel('May open and close the counter').uncheck();
    await form.getByRole('button', { name: 'Add an operator' }).click();
    await tab.getByText('Operator "Maria" created.').waitFor();
    const created = await maria();
    expect(created).toMatchObject({
      name: 'Maria',
      companyId: stack.info.companyId,
      roles: { allowedStates: [200, 300, 400, 500, 700], recall: true, manageCounter: false, hiddenModeAllowed: false },
    });
    await tab
      .getByTestId('operator-maria')
      .getByText('moves tickets to Called, On hold, No show, Being served, Done · recall · indicators · pauses booking')
      .waitFor();
    // The password typed is the one the operator signs in with.
    expect((await rolesSeenByOperator()).pauseAllowed).toBe(false);
  });

  it('gives the operator another role in one queue, which applies there', async () => {
    const { id } = await maria();
    const panel = tab.getByTestId('queue-roles-maria');
    await panel.locator('summary', { hasText: 'Roles per queue of Maria (0)' }).click();
    await panel.getByText('Their own role applies in every queue.').waitFor();
    await panel.getByLabel('Queue', { exact: true }).selectOption({ label: QUEUE });
    // The form starts from the role that applies in the queue now: the operator's own.
    expect(await panel.getByLabel('Canceled').isChecked()).toBe(false);
    await panel.getByLabel('Done').uncheck();
    await panel.getByLabel('May recall a ticket').uncheck();
    await panel.getByLabel('May serve at a closed counter (hidden mode)').check();
    await panel.getByRole('button', { name: 'Set the role in this queue' }).click();
    await tab.getByText(`Maria has this role in ${QUEUE} from their next action.`).waitFor();

    expect(await queueRolesOf(id)).toEqual([
      {
        queueId: stack.info.queueId,
        roles: expect.objectContaining({
          allowedStates: [200, 300, 400, 500],
          recall: false,
          manageCounter: false,
          hiddenModeAllowed: true,
        }),
        updatedAt: expect.any(String),
      },
    ]);
    await panel
      .getByText(`${QUEUE}: moves tickets to Called, On hold, No show, Being served · indicators · pauses booking · hidden mode`)
      .waitFor();
    // The operator's own view of their roles has the queue's role in that queue.
    expect(await rolesSeenByOperator()).toMatchObject({ recallAllowed: false, hiddenModeAllowed: true, pauseAllowed: false });
  });

  it("changes the operator's own role without touching the queue's", async () => {
    const { id } = await maria();
    await tab.getByRole('button', { name: 'Change Maria' }).click();
    const row = tab.getByTestId('operator-maria');
    await row.locator('form').first().getByLabel('Canceled').check();
    await row.getByRole('button', { name: 'Save the operator' }).click();
    await tab.getByText('Operator "Maria" saved.').waitFor();
    expect((await maria()).roles.allowedStates).toEqual([200, 300, 400, 500, 600, 700]);
    expect((await queueRolesOf(id))[0].roles.allowedStates).toEqual([200, 300, 400, 500]);
  });

  it("clears the queue's role after asking, then deletes the operator after asking", async () => {
    const { id } = await maria();
    const panel = tab.getByTestId('queue-roles-maria');
    if (!(await panel.evaluate((details) => (details as HTMLDetailsElement).open))) await panel.locator('summary').click();
    await panel.getByRole('button', { name: `Clear the role of Maria in ${QUEUE}` }).click();
    await panel.getByText(`Clear the role of Maria in ${QUEUE}? Their own role applies there again.`).waitFor();
    expect(await queueRolesOf(id)).toHaveLength(1);
    await panel.getByRole('button', { name: 'Yes, clear' }).click();
    await tab.getByText(`The role of Maria in ${QUEUE} is cleared: their own role applies there.`).waitFor();
    expect(await queueRolesOf(id)).toEqual([]);
    expect(await rolesSeenByOperator()).toMatchObject({ recallAllowed: true, hiddenModeAllowed: false });

    await tab.getByRole('button', { name: 'Delete Maria' }).click();
    await tab.getByText('Delete the operator "Maria"? They are signed out and cannot sign in again.').waitFor();
    expect(await maria()).toBeDefined();
    await tab.getByRole('button', { name: 'Yes, delete' }).click();
    await tab.getByText('Operator "Maria" deleted.').waitFor();
    expect(await maria()).toBeUndefined();
    expect((await operators()).map((operator) => operator.loginId)).toEqual([stack.info.operator.loginId]);
    await expect(tab.getByTestId('operator-maria').count()).resolves.toBe(0);
  });

  it('fits a 360 px phone with its forms open', async () => {
    const phone = await (await newContext(browser, stack.queueUrl, PHONE)).newPage();
    await signInAsAdmin(phone);
    await phone.getByRole('navigation').getByRole('button', { name: 'Operators' }).click();
    const operatorsTab = phone.getByTestId('operators');
    await operatorsTab.locator('summary', { hasText: 'Add an operator' }).click();
    const panel = operatorsTab.getByTestId(`queue-roles-${stack.info.operator.loginId}`);
    await panel.locator('summary').click();
    await panel.getByLabel('Queue', { exact: true }).selectOption({ label: QUEUE });
    await operatorsTab.getByRole('button', { name: 'Change Demo operator' }).click();
    await screenshot(phone, 'admin-operators-forms-phone');
    const width = await phone.evaluate(() => document.scrollingElement!.scrollWidth);
    expect(width, (await overflowingElements(phone)).join(' | ')).toBeLessThanOrEqual(360);
  });
});
