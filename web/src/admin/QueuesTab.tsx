/** Places with their queues and counters: create them, open a queue's settings, copy the links staff and people use. */
import { useEffect, useState } from 'preact/hooks';
import type { Lang, Translate } from '../shared/i18n.js';
import { Field } from '../shared/components.js';
import { KiosksPanel } from './KiosksPanel.js';
import { admin, listCounters, listPlaces, listQueues, type Counter, type Place, type Queue } from './api.js';
import { NoticeView } from './NoticeView.js';
import { QueueQr } from './QueueQr.js';
import { QueueSettingsForm } from './QueueSettingsForm.js';
import { useAction } from './use-action.js';

interface Props {
  token: string;
  companyId: string;
  t: Translate;
  lang: Lang;
}
interface PlaceData {
  place: Place;
  queues: Queue[];
  counters: Counter[];
}

export function QueuesTab({ token, companyId, t }: Props) {
  const [places, setPlaces] = useState<PlaceData[] | null>(null);
  const [editing, setEditing] = useState<Queue | null>(null);
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
      {places.map(({ place, queues, counters }) => (
        <section class="card" key={place.id} aria-labelledby={`place-${place.id}`}>
          <h2 id={`place-${place.id}`}>{t('place.title', { name: place.name })}</h2>
          <p class="muted">
            {t('place.timeZone', { zone: place.timeZone })} · <a href={`/display/${place.id}`}>{t('place.display')}</a>
          </p>
          <h3>{t('queue.title')}</h3>
          <div class="table-scroll">
            <table>
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
                    <td>{queue.name}</td>
                    <td>{queue.labelPrefix}</td>
                    <td>
                      <a href={`/?queue=${queue.id}`}>
                        <code>/?queue={queue.id}</code>
                      </a>
                      <QueueQr queueId={queue.id} name={queue.name} t={t} />
                    </td>
                    <td>
                      <button
                        type="button"
                        class="button secondary"
                        onClick={() => setEditing(queue)}
                        aria-label={`${t('queue.edit')}: ${queue.name}`}
                      >
                        {t('queue.edit')}
                      </button>
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
          <h3>{t('counter.title')}</h3>
          <ul class="plain-list">
            {counters.map((counter) => (
              <li key={counter.id}>
                <strong>{counter.name}</strong>
                {counter.names.fr_FR ? ` / ${counter.names.fr_FR}` : ''} — {t(counter.isOpen ? 'counter.open' : 'counter.closed')}
                {' · '}
                {counter.queueIds.map((id) => queues.find((queue) => queue.id === id)?.name ?? id).join(', ')}
                {' · '}
                <a href={`/desk?counter=${counter.id}`}>{t('counter.desk')}</a>
              </li>
            ))}
          </ul>
          <CreateCounter
            queues={queues}
            busy={busy}
            t={t}
            onCreate={(name, nameFr, queueIds) =>
              run('counter', async () => {
                await admin(token, 'POST', `/admin/places/${place.id}/endpoints`, {
                  body: { name, queueIds, ...(nameFr ? { names: { fr_FR: nameFr } } : {}) },
                });
                await load();
                return t('counter.created', { name });
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

function CreateCounter({
  queues,
  busy,
  t,
  onCreate,
}: {
  queues: Queue[];
  busy: string | null;
  t: Translate;
  onCreate(name: string, nameFr: string, queueIds: string[]): Promise<boolean>;
}) {
  const [name, setName] = useState('');
  const [nameFr, setNameFr] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const toggle = (id: string) => setChosen((list) => (list.includes(id) ? list.filter((x) => x !== id) : [...list, id]));
  return (
    <details class="create">
      <summary>{t('counter.create')}</summary>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          if (chosen.length > 0 && (await onCreate(name.trim(), nameFr.trim(), chosen))) {
            setName('');
            setNameFr('');
            setChosen([]);
          }
        }}
      >
        <Field id="new-counter-name" label={t('counter.name')}>
          <input id="new-counter-name" required value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </Field>
        <Field id="new-counter-fr" label={t('counter.nameFr')}>
          <input id="new-counter-fr" lang="fr" value={nameFr} onInput={(e) => setNameFr(e.currentTarget.value)} />
        </Field>
        <fieldset>
          <legend>{t('counter.queues')}</legend>
          {queues.map((queue) => (
            <label class="check" key={queue.id}>
              <input type="checkbox" checked={chosen.includes(queue.id)} onChange={() => toggle(queue.id)} />
              {queue.name}
            </label>
          ))}
        </fieldset>
        <button type="submit" class="button" disabled={busy !== null || chosen.length === 0}>
          {t('counter.create')}
        </button>
      </form>
    </details>
  );
}
