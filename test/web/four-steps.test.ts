/**
 * The four steps (docs/design.md §The four steps) through the pages, in a real browser: a person books on the ticket
 * page (① register the Web Push subscription, ② book with the pushId) while an operator in another
 * browser calls next at the desk; the call reaches the ticket page and the display board live, and
 * the push server's encrypted push (③ → ④) reaches the fake Web Push service, which decrypts it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumPath, browserRequired, DESKTOP, launchBrowser, newContext } from './support/browser.js';
import { WITHIN_A_SECOND, openCounter, signInAsAdmin, signInAtDesk, storedPush, takeTicket } from './support/pages.js';
import { startDemoStack, type DemoStack } from './support/stack.js';

describe.skipIf(!chromiumPath && !browserRequired)('the four steps through the pages', () => {
  let stack: DemoStack;
  let browser: Browser;
  let person: BrowserContext;
  let operator: BrowserContext;
  let screen: BrowserContext;
  let ticketPage: Page;
  let desk: Page;
  let board: Page;

  beforeAll(async () => {
    stack = await startDemoStack();
    browser = await launchBrowser();
    person = await newContext(browser, stack.queueUrl);
    operator = await newContext(browser, stack.queueUrl, DESKTOP);
    screen = await newContext(browser, stack.queueUrl, DESKTOP);
    [ticketPage, desk, board] = await Promise.all([person.newPage(), operator.newPage(), screen.newPage()]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('shows a call on the ticket page and the display board within a second, and pushes it encrypted to the fake Web Push service', async () => {
    await takeTicket(ticketPage, 'Ada');
    await ticketPage.getByTestId('connection').getByText('Live').waitFor();
    await signInAtDesk(desk, stack);
    await openCounter(desk);
    await board.goto(`/display/${stack.info.placeId}`);
    await board.getByTestId('connection').getByText('Live').waitFor();

    await desk.getByRole('button', { name: 'Call next' }).click();
    await desk.getByText('A001 called to Counter 1.').waitFor();

    await ticketPage.getByTestId('ticket-headline').getByText('Called — go to Counter 1').waitFor({ timeout: WITHIN_A_SECOND });
    await board.getByTestId('now-serving').getByText('A001').waitFor({ timeout: WITHIN_A_SECOND });
    expect(await board.getByTestId('now-serving').innerText()).toContain('Counter 1');

    const { demoSubscriptionId } = await storedPush(ticketPage);
    const [push] = await stack.fakes.webpush.control.waitFor(
      1,
      (d) => d.subscriptionId === demoSubscriptionId && d.payload.includes('TICKET_CALLED'),
    );
    const decrypted = JSON.parse(push!.payload);
    expect(decrypted).toMatchObject({
      body: "Ticket A001, it's your turn: please go to Counter 1.",
      data: { action: 'TICKET_CALLED', label: 'A001', counter: 'Counter 1' },
    });
    expect(push!.headers.urgency).toBe('high');
    // The page shows what the fake decrypted, as the demo explains.
    await ticketPage.getByTestId('demo-payload').getByText("it's your turn: please go to Counter 1.").waitFor();
  });

  it('marks the call reached at the desk, and the admin page shows its timeline from the call to the provider', async () => {
    const mark = desk.getByTestId('at-counter').filter({ hasText: 'A001' }).getByTestId('reach-mark');
    await mark.getByText('✓ reached (push)').waitFor({ timeout: 10_000 });
    const adminPage = await (await newContext(browser, stack.queueUrl, DESKTOP)).newPage();
    await signInAsAdmin(adminPage);
    await adminPage.getByRole('button', { name: 'Message log' }).click();
    await adminPage
      .getByRole('button', { name: /^Open TICKET_CALLED/ })
      .first()
      .click();
    const called = adminPage.getByTestId('timeline-change').filter({ hasText: /^Called / });
    await called.filter({ hasText: 'Web Push accepted' }).waitFor();
    expect(await called.innerText()).toMatch(
      /^Called \d\d:\d\d:\d\d\.\d{3} by Counter 1 → push server \d\d:\d\d:\d\d\.\d{3} → Web Push accepted \d\d:\d\d:\d\d\.\d{3} \(\d+ ms\)$/,
    );
    await adminPage.context().close();
  });

  it("shows the person's place in line in words as the line moves", async () => {
    const second = await (await newContext(browser, stack.queueUrl)).newPage();
    await takeTicket(second, 'Grace');
    const third = await (await newContext(browser, stack.queueUrl)).newPage();
    await takeTicket(third, 'Linus');
    await third
      .getByTestId('ticket-position')
      .getByText(/^1 person ahead of you · about \d+ min$/)
      .waitFor();

    await desk.getByRole('button', { name: 'Done A001' }).click();
    await desk.getByText('A001 done.').waitFor();
    await desk.getByRole('button', { name: 'Call next' }).click();
    await desk.getByText('A002 called to Counter 1.').waitFor();
    await third.getByTestId('ticket-position').getByText('Nobody ahead of you — you are next').waitFor({ timeout: WITHIN_A_SECOND });
    await second.getByTestId('ticket-headline').getByText('Called — go to Counter 1').waitFor({ timeout: WITHIN_A_SECOND });
  });

  it('explains a change another desk made first instead of failing silently', async () => {
    const counter = await stack.admin<{ id: string }>('POST', `/admin/places/${stack.info.placeId}/endpoints`, {
      name: 'Counter 2',
      queueIds: [stack.info.queueId],
    });
    const otherDesk = await (await newContext(browser, stack.queueUrl, DESKTOP)).newPage();
    // This desk's live stream is cut, so its list goes stale as a slow network would leave it.
    await otherDesk.route('**/v2/queues/state/sse*', (route) => route.abort());
    await signInAtDesk(otherDesk, stack, counter.id);
    await openCounter(otherDesk);
    await otherDesk.getByRole('button', { name: 'Call A003' }).waitFor();

    // A002 is still called here: the desk asks what became of it first.
    await desk.getByRole('button', { name: 'Call next' }).click();
    await desk.getByTestId('call-next-dialog').getByRole('button', { name: 'Keep A002 called too' }).click();
    await desk.getByText('A003 called to Counter 1.').waitFor();
    await desk.getByRole('button', { name: 'Done A003' }).click();
    await desk.getByText('A003 done.').waitFor();

    await otherDesk.getByRole('button', { name: 'Call A003' }).click();
    await otherDesk.getByRole('alert').getByText('Someone else changed this ticket: it is now done at Counter 1.').waitFor();
    await otherDesk.getByText('Nobody is waiting.').waitFor();
  });

  it('pauses bookings from the desk, and tells a person who arrives then that the queue takes no tickets', async () => {
    await desk.getByRole('button', { name: 'Pause bookings for today' }).click();
    await desk.getByText('Bookings for ID cards and passports are paused for today').waitFor();
    const late = await (await newContext(browser, stack.queueUrl)).newPage();
    await late.goto('/');
    await late.getByRole('button', { name: 'Take my ticket' }).click();
    await late.getByRole('alert').getByText('This queue does not take tickets right now.').waitFor();
    await desk.getByRole('button', { name: 'Take bookings again' }).click();
    await desk.getByText('ID cards and passports takes bookings again.').waitFor();
  });

  it("shows a system notification from the service worker's push handler", async () => {
    const cdp = await person.newCDPSession(ticketPage);
    const registrations = new Map<string, string>();
    cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations: list }) => {
      for (const registration of list) registrations.set(registration.scopeURL, registration.registrationId);
    });
    await cdp.send('ServiceWorker.enable');
    await ticketPage.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    const scope = `${stack.queueUrl}/`;
    // A service worker's start and a push's delivery to it can take seconds on a loaded machine.
    await expect.poll(() => registrations.get(scope), { timeout: 10_000 }).toBeDefined();

    const payload = {
      title: 'Your ticket',
      body: "Ticket A009, it's your turn: please go to Counter 4.",
      data: { action: 'TICKET_CALLED', ticketId: 'tkt_sw_test', label: 'A009', counter: 'Counter 4' },
    };
    await cdp.send('ServiceWorker.deliverPushMessage', {
      origin: stack.queueUrl,
      registrationId: registrations.get(scope)!,
      data: JSON.stringify(payload),
    });

    const shown = () =>
      ticketPage.evaluate(async () =>
        (await (await navigator.serviceWorker.ready).getNotifications({ tag: 'tkt_sw_test' })).map((n) => ({
          title: n.title,
          body: n.body,
          tag: n.tag,
        })),
      );
    await expect.poll(shown, { timeout: 10_000 }).toEqual([{ title: 'Your ticket', body: payload.body, tag: 'tkt_sw_test' }]);
  });
});
