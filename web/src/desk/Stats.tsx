/** The counter's indicators for today: waiting now, served, no-shows, average wait and service, ratings. */
import type { Translate } from '../shared/i18n.js';
import type { Indicators, TicketView } from './api.js';

export function Stats({ indicators, waiting, t }: { indicators: Indicators | null; waiting: TicketView[]; t: Translate }) {
  // Until the indicators arrive, the line the desk shows says how many wait.
  const now = indicators?.endpoint.waiting ?? {
    tickets: waiting.length,
    people: waiting.reduce((sum, ticket) => sum + ticket.groupSize, 0),
  };
  const today = indicators?.endpoint;
  const minutes = (value: number | null | undefined) =>
    value === null || value === undefined ? t('stats.none') : t('stats.minutes', { minutes: value });
  return (
    <section class="card stats" aria-labelledby="stats-title" data-testid="stats">
      <h2 id="stats-title">{t('stats.title')}</h2>
      <p class="stat-main">
        {t('stats.waitingTickets', { count: now.tickets })} · {t('stats.waitingPeople', { count: now.people })}
      </p>
      {today && (
        <dl class="stat-list">
          <div>
            <dt>{t('stats.served')}</dt>
            <dd>{today.served}</dd>
          </div>
          <div>
            <dt>{t('stats.noShows')}</dt>
            <dd>{today.noShows}</dd>
          </div>
          <div>
            <dt>{t('stats.avgWait')}</dt>
            <dd>{minutes(today.averageWaitMinutes)}</dd>
          </div>
          <div>
            <dt>{t('stats.avgService')}</dt>
            <dd>{minutes(today.averageServiceMinutes)}</dd>
          </div>
          <div>
            <dt>{t('stats.rating')}</dt>
            <dd>{today.averageRating === null ? t('stats.none') : `${today.averageRating}/5 (${today.ratings})`}</dd>
          </div>
        </dl>
      )}
    </section>
  );
}
