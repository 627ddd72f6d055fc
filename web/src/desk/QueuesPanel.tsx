/** The queues the counter serves: how many wait, whether they take bookings, and pausing them for the day. */
import type { PageLang, Translate } from '../shared/i18n.js';
import { timeAt } from '../shared/time.js';
import type { Indicators, QueueState } from './api.js';

interface Props {
  indicators: Indicators | null;
  states: Record<string, QueueState>;
  canManage: boolean;
  busy: string | null;
  t: Translate;
  lang: PageLang;
  timeZone: string;
  onToggle(queueId: string, name: string, paused: boolean): void;
}

export function QueuesPanel({ indicators, states, canManage, busy, t, lang, timeZone, onToggle }: Props) {
  if (!indicators) return null;
  return (
    <section class="card" aria-labelledby="queues-title">
      <h2 id="queues-title">{t('queues.title')}</h2>
      <ul class="queue-rows">
        {indicators.queues.map((queue) => {
          const state = states[queue.queueId];
          const paused = state ? !state.bookingIsOpened && state.bookingPausedUntil !== null : false;
          return (
            <li key={queue.queueId}>
              <span>
                <strong>{queue.name}</strong> · {t('stats.waitingPeople', { count: queue.waiting.people })} · {t('stats.served')}{' '}
                {queue.served}
              </span>
              <span class={paused ? 'paused' : 'taking'}>
                {paused
                  ? t('queues.pausedUntil', {
                      time: timeAt(state!.bookingPausedUntil!, lang, timeZone),
                    })
                  : state && !state.bookingIsOpened
                    ? t('queues.closed')
                    : t('queues.open')}
              </span>
              {canManage && state && (state.bookingIsOpened || paused) && (
                <button
                  type="button"
                  class="button secondary"
                  disabled={busy !== null}
                  aria-busy={busy === `pause:${queue.queueId}`}
                  onClick={() => onToggle(queue.queueId, queue.name, !paused)}
                >
                  {t(paused ? 'queues.resume' : 'queues.pause')}
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
