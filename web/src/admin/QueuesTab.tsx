/**
 * Places with their queues and counters: create them, open a queue's settings or its appointment
 * types and opening hours, rename or delete a counter, copy the links staff and people use.
 */
import { useEffect, useState } from 'preact/hooks';
import type { PageLang, Translate } from '../shared/i18n.js';
import { Field } from '../shared/components.js';
import { AppointmentTypesPanel } from './AppointmentTypesPanel.js';
import { CountersPanel } from './CountersPanel.js';
import { KiosksPanel } from './KiosksPanel.js';
import { OpeningHoursPanel } from './OpeningHoursPanel.js';
import { admin, listCounters, listPlaces, listQueues, type Counter, type Place, type Queue } from './api.js';
import { NoticeView } from './NoticeView.js';
import { QueueQr } from './QueueQr.js';
import { QueueSettingsForm } from './QueueSettingsForm.js';
import { useAction } from './use-action.js';

interface Props {
  token: string;
  companyId: string;
  t: Translate;
  lang: PageLang;
}
interface PlaceData {
  place: Place;
  queues: Queue[];
  counters: Counter[];
}

export function QueuesTab({ token, companyId, t, lang }: Props) {
  const [places, setPlaces] = useState<PlaceData[] | null>(null);
  const [editing, setEditing] = useState<Queue | null>(null);
  const [booking, setBooking] = useState<{ queue: Queue; place: Place } | null>(null);
  const { busy, notice, setNotice, run } = useAction(t);

  const load = async () => {
    const found = await listPlaces(token, companyId);
    setPlaces(
      await Promise.all(
        found.map(async (place) => ({ place, queues: await listQueues(token, place.id), counters: await listCounters(token, place.id) })),
      ),
    );
  };
  useEffect(() => void load().catch(() => setPlaces([])), [companyId]);

  if (!places) return <p>{t('common.loading')}</p>;
  return (
    <>
      <NoticeView notice={notice} t={t} onDismiss={() => setNotice(null)} />
      {editing && (
        <QueueSettingsForm
          key={editing.id}
          token={token}
          queue={editing}
          t={t}
          onSaved={() => {
            setEditing(null);
            setNotice({ kind: 'success', text: t('settings.saved') });
            void load();
          }}
          onClose={() => setEditing(null)}
        />
      )}
      {booking && (
        <section class="card" key={booking.queue.id} aria-labelledby="booking-title" data-testid="queue-booking">
          <div class="detail-head">
            <h2 id="booking-title">{t('booking.title', { name: booking.queue.name, place: booking.place.name })}</h2>
            <button type="button" class="button secondary" onClick={() => setBooking(null)}>
              {t('common.close')}
            </button>
          </div>
          <AppointmentTypesPanel token={token} queueId={booking.queue.id} t={t} />
          <OpeningHoursPanel token={token} queueId={booking.queue.id} t={t} lang={lang} />
        </section>
      )}
      {places.map(({ place, queues, counters }) => (
        <section class="card" key={place.id} aria-labelledby={`place-${place.id}`}>
          <h2 id={`place-${place.id}`}>{t('place.title', { name: place.name })}</h2>
          <p class="muted">
            {t('place.timeZone', { zone: place.timeZone })} · <a href={`/display/${place.id}`}>{t('place.display')}</a>
          </p>
          <h3>{t('queue.title')}</h3>
          <div class="table-scroll">
            <table class="stack">
              <thead>
                <tr>
                  <th scope="col">{t('queue.name')}</th>
                  <th scope="col">{t('queue.prefix')}</th>
                  <th scope="col">{t('queue.link')}</th>
                  <th scope="col">
                    <span class="visually-hidden">{t('queue.edit')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {queues.map((queue) => (
                  <tr key={queue.id}>
                    <td data-label={t('queue.name')}>{queue.name}</td>
                    <td data-label={t('queue.prefix')}>{queue.labelPrefix}</td>
                    <td data-label={t('queue.link')}>
                      <a href={`/?queue=${queue.id}`}>
                        <code>/?queue={queue.id}</code>
                      </a>
                      <QueueQr queueId={queue.id} name={queue.name} t={t} />
                    </td>
                    <td>
                      <span class="row-actions">
                        <button
                          type="button"
                          class="button secondary"
                          onClick={() => setEditing(queue)}
                          aria-label={`${t('queue.edit')}: ${queue.name}`}
                        >
                          {t('queue.edit')}
                        </button>
                        <button
                          type="button"
                          class="button secondary"
                          onClick={() => setBooking({ queue, place })}
                          aria-label={`${t('queue.booking')}: ${queue.name}`}
                        >
                          {t('queue.booking')}
                        </button>
                      </span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <CreateQueue
            busy={busy}
            t={t}
            onCreate={(name, labelPrefix) =>
              run('queue', async () => {
                await admin(token, 'POST', `/admin/places/${place.id}/queues`, { body: { name, ...(labelPrefix ? { labelPrefix } : {}) } });
                await load();
                return t('queue.created', { name });
              })
            }
          />
          <CountersPanel
            token={token}
            placeId={place.id}
            counters={counters}
            queues={queues}
            busy={busy}
            t={t}
            run={(key, action) =>
              run(key, async () => {
                const result = await action();
                await load();
                return result;
              })
            }
          />
          <KiosksPanel token={token} placeId={place.id} t={t} />
        </section>
      ))}
    </>
  );
}

function CreateQueue({
  busy,
  t,
  onCreate,
}: {
  busy: string | null;
  t: Translate;
  onCreate(name: string, prefix: string): Promise<boolean>;
}) {
  const [name, setName] = useState('');
  const [prefix, setPrefix] = useState('');
  return (
    <details class="create">
      <summary>{t('queue.create')}</summary>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          if (await onCreate(name.trim(), prefix.trim().toUpperCase())) {
            setName('');
            setPrefix('');
          }
        }}
      >
        <Field id="new-queue-name" label={t('queue.name')}>
          <input id="new-queue-name" required maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </Field>
        <Field id="new-queue-prefix" label={t('queue.prefix')} hint={t('queue.prefixHint')}>
          <input
            id="new-queue-prefix"
            pattern="[A-Za-z]{1,3}"
            maxLength={3}
            aria-describedby="new-queue-prefix-hint"
            value={prefix}
            onInput={(e) => setPrefix(e.currentTarget.value)}
          />
        </Field>
        <button type="submit" class="button" disabled={busy !== null}>
          {t('queue.create')}
        </button>
      </form>
    </details>
  );
}
