/** One ticket as its holder sees it: the label large, what is happening in words, what they can do. */
import { useState } from 'preact/hooks';
import { describeError } from '../shared/errors.js';
import type { PageLang, Translate } from '../shared/i18n.js';
import { Notice } from '../shared/components.js';
import { downloadCalendar, setFallback, ticketAction, type TicketView, type UserSession } from './api.js';
import { WAITING_STATES, appointmentLine, headline, positionLine, tone } from './describe.js';
import { Postpone } from './Postpone.js';
import { RateForm } from './RateForm.js';

interface Props {
  ticket: TicketView;
  session: UserSession;
  now: number;
  t: Translate;
  lang: PageLang;
  /** The place's time zone, once known: every time on the card is on the place's clock. */
  timeZone: string | null;
  /** The counter's name in the page's language. */
  counterName: string | null;
  onChanged(ticket: TicketView): void;
}

export function TicketCard({ ticket, session, now, t, lang, timeZone, counterName, onChanged }: Props) {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const [moving, setMoving] = useState(false);

  const [lateMinutes, setLateMinutes] = useState(10);
  const act = async (action: 'cancel' | 'confirm' | 'checkIn' | 'runningLate') => {
    if (action === 'cancel' && !window.confirm(t('action.cancelConfirm', { label: ticket.label }))) return;
    setBusy(true);
    setMessage(null);
    try {
      const body = action === 'runningLate' ? { minutes: lateMinutes } : undefined;
      onChanged(await ticketAction(session, ticket.ticketId, action, body));
      setMessage({ kind: 'success', text: t(`action.done.${action}`) });
    } catch (error) {
      setMessage({ kind: 'error', text: describeError(error, t) });
    } finally {
      setBusy(false);
    }
  };

  // The subscription route answers no ticket: the card shows the new choice until the next update.
  const [fallback, setFallbackShown] = useState({ sms: ticket.notifications.smsFallback, email: ticket.notifications.emailFallback });
  const toggleFallback = async (channel: 'sms' | 'email', on: boolean) => {
    setBusy(true);
    setMessage(null);
    try {
      await setFallback(session, ticket.ticketId, channel === 'sms' ? { smsFallback: on } : { emailFallback: on });
      setFallbackShown((shown) => ({ ...shown, [channel]: on }));
    } catch (error) {
      setMessage({ kind: 'error', text: describeError(error, t) });
    } finally {
      setBusy(false);
    }
  };
  const pushOnly = ticket.notifications.sendClientPush && cancellableStates(ticket.state);
  const canFallBack = pushOnly && !ticket.notifications.sendClientSms && ticket.userData.phone !== null;
  const canMailBack = pushOnly && !ticket.notifications.sendClientMail && ticket.userData.mail !== null;

  const position = positionLine(ticket, t, lang, now, timeZone);
  const appointment = timeZone ? appointmentLine(ticket, t, lang, timeZone) : null;
  const cancellable = [0, 50, 100, 200, 300].includes(ticket.state);
  return (
    <article class={`card ticket tone-${tone(ticket)}`} aria-labelledby={`label-${ticket.ticketId}`} data-testid="ticket">
      <p class="ticket-label-caption">{t('ticket.label')}</p>
      <p class="ticket-label" id={`label-${ticket.ticketId}`}>
        {ticket.label}
      </p>
      <h2 class="ticket-headline" data-testid="ticket-headline" aria-live="assertive">
        {headline(ticket, t, counterName)}
      </h2>
      {ticket.state === 400 && <p>{t('detail.400')}</p>}
      {ticket.state === 50 && <p>{t('detail.50')}</p>}
      {position && (
        <p class="ticket-position" data-testid="ticket-position" aria-live="polite">
          {position}
        </p>
      )}
      {appointment && (
        <p class="ticket-position" data-testid="ticket-appointment">
          {appointment}
        </p>
      )}
      <p class="muted">{t('ticket.queue', { queue: ticket.queue.name })}</p>
      {ticket.checkedInAt && (
        <p class="muted" data-testid="checked-in">
          {t('arrival.checkedIn')}
        </p>
      )}
      {ticket.runningLate && (
        <p class="muted" data-testid="running-late">
          {t('arrival.late', { minutes: ticket.runningLate.minutes })}
        </p>
      )}
      {message && (
        <Notice kind={message.kind} t={t} onDismiss={() => setMessage(null)}>
          {message.text}
        </Notice>
      )}
      <div class="actions">
        {ticket.state === 50 && (
          <button type="button" class="button" disabled={busy} onClick={() => void act('confirm')}>
            {t('action.confirm')}
          </button>
        )}
        {ticket.isAnAppointment && WAITING_STATES.has(ticket.state) && !moving && (
          <button type="button" class="button secondary" onClick={() => setMoving(true)}>
            {t('action.postpone')}
          </button>
        )}
        {ticket.isAnAppointment && WAITING_STATES.has(ticket.state) && (
          <button
            type="button"
            class="button secondary"
            onClick={() =>
              void downloadCalendar(session, ticket.ticketId, ticket.label).catch((error: unknown) =>
                setMessage({ kind: 'error', text: describeError(error, t) }),
              )
            }
          >
            {t('action.calendar')}
          </button>
        )}
        {[0, 50, 100, 200, 300].includes(ticket.state) && !ticket.checkedInAt && (
          <button type="button" class="button secondary" disabled={busy} onClick={() => void act('checkIn')}>
            {t('action.checkIn')}
          </button>
        )}
        {WAITING_STATES.has(ticket.state) && (
          <span class="late-control">
            <label>
              {t('arrival.lateBy')}{' '}
              <select value={lateMinutes} disabled={busy} onChange={(e) => setLateMinutes(Number(e.currentTarget.value))}>
                {[5, 10, 15, 30, 60].map((minutes) => (
                  <option key={minutes} value={minutes}>
                    {t('arrival.minutes', { minutes })}
                  </option>
                ))}
              </select>
            </label>
            <button type="button" class="button secondary" disabled={busy} onClick={() => void act('runningLate')}>
              {t('action.runningLate')}
            </button>
          </span>
        )}
        {cancellable && (
          <button type="button" class="button danger" disabled={busy} onClick={() => void act('cancel')}>
            {t('action.cancel')}
          </button>
        )}
      </div>
      {canFallBack && (
        <label class="check">
          <input
            type="checkbox"
            checked={fallback.sms}
            disabled={busy}
            onChange={(e) => void toggleFallback('sms', e.currentTarget.checked)}
          />
          {t('book.smsFallback')}
        </label>
      )}
      {canMailBack && (
        <label class="check">
          <input
            type="checkbox"
            checked={fallback.email}
            disabled={busy}
            onChange={(e) => void toggleFallback('email', e.currentTarget.checked)}
          />
          {t('book.emailFallback')}
        </label>
      )}
      {moving && (
        <Postpone
          ticket={ticket}
          session={session}
          t={t}
          lang={lang}
          onChanged={onChanged}
          onDone={(text) => {
            setMoving(false);
            setMessage({ kind: 'success', text });
          }}
        />
      )}
      {ticket.state === 700 && <RateForm ticket={ticket} session={session} t={t} onChanged={onChanged} />}
    </article>
  );
}

/** Still ahead of the call or being called: a fallback can still matter. */
function cancellableStates(state: number): boolean {
  return [0, 50, 100, 200, 300].includes(state);
}
