/** What staff see on a ticket beyond its state (docs/design.md §Moving tickets): priority, "I'm here", "running late", the note. */
import type { Translate } from '../shared/i18n.js';
import type { TicketView } from './api.js';

export function StaffMarks({ ticket, t }: { ticket: TicketView; t: Translate }) {
  const late = ticket.runningLate;
  return (
    <div class="staff-marks" data-testid="staff-marks">
      {ticket.priority && <span class="mark mark-priority">{t('mark.priority')}</span>}
      {ticket.checkedInAt && <span class="mark mark-here">{t('mark.here')}</span>}
      {late && <span class="mark mark-late">{t('mark.late', { minutes: late.minutes })}</span>}
      {ticket.keptForEndpointId && <span class="mark">{t('mark.kept')}</span>}
      {ticket.note && <span class="note">{t('mark.note', { note: ticket.note })}</span>}
    </div>
  );
}
