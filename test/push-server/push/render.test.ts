import { describe, expect, it } from 'vitest';
import { compactTicket } from '../../../src/push-server/ingest/message-body.js';
import type { AppContext } from '../../../src/push-server/providers/provider.js';
import { renderNotification, titleFor } from '../../../src/push-server/push/render.js';

const app = {
  appId: 'app_1',
  name: 'Mairie',
  titles: { default: 'Your turn', fr: 'Votre tour', fr_CA: 'Votre tour (CA)' },
} as unknown as AppContext;

describe('rendering a message for a device', () => {
  it("picks the title for the exact locale, then its language, then the ticket's, then the default", () => {
    expect(titleFor(app, ['fr_CA', 'en_US'])).toBe('Votre tour (CA)');
    expect(titleFor(app, ['fr_FR', 'en_US'])).toBe('Votre tour');
    expect(titleFor(app, [null, 'fr_BE'])).toBe('Votre tour');
    expect(titleFor(app, ['de_DE', 'en_US'])).toBe('Your turn');
    expect(titleFor({ ...app, titles: {} }, ['de_DE'])).toBe('Mairie');
  });

  it('sends ALERTED and CALLED at high priority and everything else at normal priority', () => {
    const ticket = compactTicket({ id: 'tkt_1', label: 'A001', state: 200, endpoint: { id: 'e', name: 'Desk 2' } }, 'fallback');
    const render = (action: string) => renderNotification({ app, action, content: 'x', ticket, deliverBy: 5, deviceLocale: null });
    expect(
      ['TICKET_ALERTED', 'TICKET_CALLED', 'TICKET_BOOKED', 'TICKET_DONE', 'TICKET_REMIND_1'].map((a) => render(a).highPriority),
    ).toEqual([true, true, false, false, false]);
    expect(render('TICKET_CALLED')).toMatchObject({
      body: 'x',
      collapseKey: 'tkt_1',
      expiresAt: 5,
      data: { action: 'TICKET_CALLED', ticketId: 'tkt_1', label: 'A001', state: '200', counter: 'Desk 2' },
    });
  });

  it('reads a ticket from another sender loosely, falling back to the webhook id as collapse key', () => {
    expect(compactTicket({ state: 'called', endpoint: 7 }, 'msg_1')).toEqual({
      id: 'msg_1',
      label: '',
      state: null,
      counter: null,
      lang: null,
    });
  });
});
