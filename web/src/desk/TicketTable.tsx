/** A list of tickets with what the operator needs to decide: position, name, waiting time, expected call. */
import { nameIn, type PageLang, type Translate } from '../shared/i18n.js';
import { timeAt } from '../shared/time.js';
import type { Roles, TicketView } from './api.js';
import { StaffMarks } from './StaffMarks.js';
import { TicketActions } from './TicketActions.js';
import type { DeskAction } from './transitions.js';

interface Props {
  tickets: TicketView[];
  roles: Roles;
  busy: string | null;
  t: Translate;
  lang: PageLang;
  /** The place's: the expected times are on its clock. */
  timeZone: string;
  onAction(ticket: TicketView, action: DeskAction): void;
  /** Make a waiting ticket priority or not, and write its note (the waiting line only). */
  onPriority?(ticket: TicketView): void;
  onNote?(ticket: TicketView): void;
  /** Move a waiting ticket to another queue or to this counter only (the waiting line only). */
  onMove?(ticket: TicketView): void;
  testId: string;
}

export function TicketTable({ tickets, roles, busy, t, lang, timeZone, onAction, onPriority, onNote, onMove, testId }: Props) {
  const now = Date.now();
  const minutes = (iso: string | null) => (iso ? Math.max(0, Math.round((now - Date.parse(iso)) / 60_000)) : null);
  const time = (iso: string) => timeAt(iso, lang, timeZone);
  return (
    <div class="table-scroll stack-on-phone">
      <table data-testid={testId}>
        <thead>
          <tr>
            <th scope="col">{t('waiting.position')}</th>
            <th scope="col">{t('waiting.ticket')}</th>
            <th scope="col">{t('waiting.name')}</th>
            <th scope="col">{t('waiting.since')}</th>
            <th scope="col">{t('waiting.eta')}</th>
            <th scope="col">{t('waiting.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {tickets.map((ticket) => (
            <tr key={ticket.ticketId}>
              <td data-label={t('waiting.position')}>{ticket.ticketPosition ? ticket.ticketPosition.endpoint.tickets + 1 : '—'}</td>
              <td data-label={t('waiting.ticket')}>
                <strong>{ticket.label}</strong>
                <div class="muted small">
                  {ticket.endpoint && ticket.state >= 200
                    ? t('state.at', {
                        state: t(`state.${ticket.state}`),
                        counter: nameIn(ticket.endpoint.names, lang, ticket.endpoint.name),
                      })
                    : t(`state.${ticket.state}`)}
                </div>
                <StaffMarks ticket={ticket} t={t} />
              </td>
              <td data-label={t('waiting.name')}>
                {ticket.userData.name ?? <span class="muted">{t('ticket.noName')}</span>}
                <div class="muted small">{t('ticket.group', { count: ticket.groupSize })}</div>
              </td>
              <td data-label={t('waiting.since')}>{t('waiting.minutes', { minutes: minutes(ticket.timeline.bookedAt) ?? 0 })}</td>
              <td data-label={t('waiting.eta')}>
                {ticket.isAnAppointment && ticket.bookedFor
                  ? t('waiting.appointment', { time: time(ticket.bookedFor) })
                  : ticket.timeline.estimatedFor
                    ? time(ticket.timeline.estimatedFor)
                    : '—'}
              </td>
              <td class="row-actions">
                <TicketActions ticket={ticket} roles={roles} busy={busy} t={t} onAction={onAction} />
                {onPriority && !ticket.isAnAppointment && (
                  <button type="button" class="link-button" disabled={busy !== null} onClick={() => onPriority(ticket)}>
                    {t(ticket.priority ? 'priority.remove' : 'priority.make')}
                  </button>
                )}
                {onNote && (
                  <button type="button" class="link-button" disabled={busy !== null} onClick={() => onNote(ticket)}>
                    {t('note.edit')}
                  </button>
                )}
                {onMove && !ticket.isAnAppointment && (
                  <button type="button" class="link-button" disabled={busy !== null} onClick={() => onMove(ticket)}>
                    {t('move.action')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
