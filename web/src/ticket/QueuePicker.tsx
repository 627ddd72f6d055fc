/** Choosing where to queue: the places of the company, then a queue with how busy it is right now. */
import { useEffect, useState } from 'preact/hooks';
import { describeError } from '../shared/errors.js';
import { nameIn, type PageLang, type Translate } from '../shared/i18n.js';
import { Notice } from '../shared/components.js';
import { getQueueState, listPlaces, listQueues, type Place, type Queue, type QueueState } from './api.js';

interface Props {
  bookingKey: string;
  placeId: string | null;
  t: Translate;
  lang: PageLang;
  onPick(queue: Queue): void;
}

export function QueuePicker({ bookingKey, placeId, t, lang, onPick }: Props) {
  const [places, setPlaces] = useState<Place[] | null>(null);
  const [place, setPlace] = useState<string | null>(placeId);
  const [queues, setQueues] = useState<{ queue: Queue; state: QueueState | null }[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    listPlaces(bookingKey).then(
      (found) => {
        setPlaces(found);
        setPlace((current) => current ?? found[0]?.placeId ?? null);
      },
      (e: unknown) => setError(describeError(e, t)),
    );
  }, [bookingKey]);

  useEffect(() => {
    if (!place) return;
    setQueues(null);
    listQueues(bookingKey, place)
      .then((found) =>
        Promise.all(found.map(async (queue) => ({ queue, state: await getQueueState(bookingKey, queue.queueId).catch(() => null) }))),
      )
      .then(setQueues, (e: unknown) => setError(describeError(e, t)));
  }, [bookingKey, place]);

  return (
    <section class="card" aria-labelledby="pick-title">
      <h1 id="pick-title">{t('pick.title')}</h1>
      {error && (
        <Notice kind="error" t={t}>
          {error}
        </Notice>
      )}
      {places && places.length > 1 && (
        <div class="field">
          <label for="place">{t('pick.place')}</label>
          <select id="place" value={place ?? ''} onChange={(e) => setPlace((e.currentTarget as HTMLSelectElement).value)}>
            {places.map((p) => (
              <option key={p.placeId} value={p.placeId}>
                {nameIn(p.name, lang)}
              </option>
            ))}
          </select>
        </div>
      )}
      {places?.length === 1 && <p class="muted">{nameIn(places[0]!.name, lang)}</p>}
      <h2>{t('pick.queue')}</h2>
      {!queues && !error && <p>{t('common.loading')}</p>}
      {queues?.length === 0 && <p>{t('pick.none')}</p>}
      <ul class="queue-list">
        {queues?.map(({ queue, state }) => (
          <li key={queue.queueId}>
            <button
              type="button"
              class="queue-choice"
              onClick={() => onPick(queue)}
              disabled={state ? !state.bookingIsOpened : false}
              aria-label={`${t('pick.choose')}: ${nameIn(queue.name, lang)}`}
            >
              <span class="queue-name">{nameIn(queue.name, lang)}</span>
              <span class="queue-meta">{stateText(state, t)}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function stateText(state: QueueState | null, t: Translate): string {
  if (!state) return '';
  if (state.queueIsFull || state.queueIsFullForTheDay) return t('pick.full');
  if (!state.bookingIsOpened) return t('pick.closed');
  const waiting = t('pick.waiting', { count: state.waiting.people });
  return state.waiting.people > 0 ? `${waiting} · ${t('pick.wait', { minutes: state.estimatedWaitMinutes })}` : waiting;
}
