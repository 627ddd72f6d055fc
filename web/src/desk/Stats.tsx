/**
 * The counter's indicators. Waiting counts come from the line the desk already shows; served,
 * no-shows and average times from the indicators route, shown only when the service has it.
 */
import type { Translate } from '../shared/i18n.js';
import type { TicketView } from './api.js';

export function Stats({ indicators, waiting, t }: { indicators: Record<string, unknown> | null; waiting: TicketView[]; t: Translate }) {
  const people = waiting.reduce((sum, ticket) => sum + ticket.groupSize, 0);
  const today = summaryOf(indicators);
  const minutes = (value: number | null) => (value === null ? t('stats.none') : t('stats.minutes', { minutes: value }));
  return (
    <section class="card stats" aria-labelledby="stats-title" data-testid="stats">
      <h2 id="stats-title">{t('stats.title')}</h2>
      <p class="stat-main">{t('stats.waitingTickets', { count: waiting.length })} · {t('stats.waitingPeople', { count: people })}</p>
      {today && (
        <dl class="stat-list">
          <div><dt>{t('stats.served')}</dt><dd>{today.served}</dd></div>
          <div><dt>{t('stats.noShows')}</dt><dd>{today.noShows}</dd></div>
          <div><dt>{t('stats.avgWait')}</dt><dd>{minutes(today.averageWaitMinutes)}</dd></div>
          <div><dt>{t('stats.avgService')}</dt><dd>{minutes(today.averageServiceMinutes)}</dd></div>
        </dl>
      )}
    </section>
  );
}

interface Summary { served: number; noShows: number; averageWaitMinutes: number | null; averageServiceMinutes: number | null }

/** The counter's own totals in the indicators answer (`counter`, or the top level). */
function summaryOf(indicators: Record<string, unknown> | null): Summary | null {
  if (!indicators) return null;
  const source = (indicators.counter ?? indicators.endpoint ?? indicators) as Record<string, unknown>;
  const number = (value: unknown) => (typeof value === 'number' ? value : null);
  if (number(source.served) === null) return null;
  return {
    served: number(source.served) ?? 0, noShows: number(source.noShows) ?? 0,
    averageWaitMinutes: number(source.averageWaitMinutes), averageServiceMinutes: number(source.averageServiceMinutes),
  };
}
