/** After the visit: one to five stars and an optional comment, once. */
import { useState } from 'preact/hooks';
import { describeError } from '../shared/errors.js';
import type { Translate } from '../shared/i18n.js';
import { Notice } from '../shared/components.js';
import { rateTicket, type TicketView, type UserSession } from './api.js';

export function RateForm({
  ticket,
  session,
  t,
  onChanged,
}: {
  ticket: TicketView;
  session: UserSession;
  t: Translate;
  onChanged(ticket: TicketView): void;
}) {
  const [rating, setRating] = useState(0);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (ticket.rating) return <p class="muted">{t('rate.given', { rating: ticket.rating.rating })}</p>;

  const submit = async (event: Event) => {
    event.preventDefault();
    if (rating === 0) return;
    setBusy(true);
    setError(null);
    try {
      onChanged(await rateTicket(session, ticket.ticketId, rating, comment.trim() || null));
    } catch (e) {
      setError(describeError(e, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="rate" onSubmit={submit}>
      <fieldset>
        <legend>{t('rate.title')}</legend>
        <div class="stars">
          {[1, 2, 3, 4, 5].map((value) => (
            <label key={value} class={`star ${value <= rating ? 'on' : ''}`}>
              <input
                type="radio"
                name={`rating-${ticket.ticketId}`}
                value={value}
                checked={rating === value}
                onChange={() => setRating(value)}
                class="visually-hidden"
              />
              <span aria-hidden="true">★</span>
              <span class="visually-hidden">{t('rate.stars', { count: value })}</span>
            </label>
          ))}
        </div>
        <div class="field">
          <label for={`comment-${ticket.ticketId}`}>{t('rate.comment')}</label>
          <textarea id={`comment-${ticket.ticketId}`} maxLength={1000} value={comment} onInput={(e) => setComment(e.currentTarget.value)} />
        </div>
      </fieldset>
      {error && (
        <Notice kind="error" t={t}>
          {error}
        </Notice>
      )}
      <button type="submit" class="button" disabled={busy || rating === 0}>
        {t('rate.submit')}
      </button>
    </form>
  );
}
