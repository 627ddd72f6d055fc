/** A place's counters (endpoints): add one, rename it or change the queues it serves, delete it. */
import { useState } from 'preact/hooks';
import type { Translate } from '../shared/i18n.js';
import { Field } from '../shared/components.js';
import { admin, type Counter, type Queue } from './api.js';
import { EditableRow, FormButtons } from './EditableRow.js';
import type { AdminNotice } from './use-action.js';

interface Props {
  token: string;
  placeId: string;
  counters: Counter[];
  queues: Queue[];
  busy: string | null;
  t: Translate;
  /** Runs an action with the tab's busy flag and notice; reloads the place after it. */
  run(key: string, action: () => Promise<AdminNotice | string>): Promise<boolean>;
}

export function CountersPanel({ token, placeId, counters, queues, busy, t, run }: Props) {
  const [editing, setEditing] = useState<string | null>(null);
  const queueNames = (ids: string[]) => ids.map((id) => queues.find((queue) => queue.id === id)?.name ?? id).join(', ');
  return (
    <>
      <h3>{t('counter.title')}</h3>
      <ul class="plain-list" data-testid={`counters-${placeId}`}>
        {counters.map((counter) => (
          <li key={counter.id}>
            {editing === counter.id ? (
              <CounterForm
                idPrefix={`edit-counter-${counter.id}`}
                initial={counter}
                queues={queues}
                busy={busy}
                t={t}
                submitLabel={t('counter.save')}
                onCancel={() => setEditing(null)}
                onSubmit={(body) =>
                  run('counter', async () => {
                    await admin(token, 'PATCH', `/admin/endpoints/${counter.id}`, { body });
                    setEditing(null);
                    return t('counter.saved', { name: body.name });
                  })
                }
              />
            ) : (
              <EditableRow
                name={counter.name}
                confirmDelete={t('counter.confirmDelete', { name: counter.name })}
                busy={busy !== null}
                t={t}
                onEdit={() => setEditing(counter.id)}
                onDelete={() =>
                  void run('counter', async () => {
                    await admin(token, 'DELETE', `/admin/endpoints/${counter.id}`);
                    return t('counter.deleted', { name: counter.name });
                  })
                }
              >
                <strong>{counter.name}</strong>
                {counter.names.fr_FR && counter.names.fr_FR !== counter.name ? ` / ${counter.names.fr_FR}` : ''} —{' '}
                {t(counter.isOpen ? 'counter.open' : 'counter.closed')}
                {' · '}
                {queueNames(counter.queueIds)}
                {' · '}
                <a href={`/desk?counter=${counter.id}`}>{t('counter.desk')}</a>
              </EditableRow>
            )}
          </li>
        ))}
      </ul>
      <details class="create">
        <summary>{t('counter.create')}</summary>
        <CounterForm
          idPrefix={`new-counter-${placeId}`}
          queues={queues}
          busy={busy}
          t={t}
          submitLabel={t('counter.create')}
          onSubmit={(body) =>
            run('counter', async () => {
              await admin(token, 'POST', `/admin/places/${placeId}/endpoints`, { body });
              return t('counter.created', { name: body.name });
            })
          }
        />
      </details>
    </>
  );
}

interface CounterBody {
  name: string;
  names: Record<string, string>;
  queueIds: string[];
}

function CounterForm({
  idPrefix,
  initial,
  queues,
  busy,
  t,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  idPrefix: string;
  initial?: Counter;
  queues: Queue[];
  busy: string | null;
  t: Translate;
  submitLabel: string;
  onSubmit(body: CounterBody): Promise<boolean>;
  onCancel?(): void;
}) {
  const [name, setName] = useState(initial?.name ?? '');
  const [nameFr, setNameFr] = useState(initial?.names.fr_FR && initial.names.fr_FR !== initial.name ? initial.names.fr_FR : '');
  const [chosen, setChosen] = useState<string[]>(initial?.queueIds ?? []);
  const toggle = (id: string) => setChosen((list) => (list.includes(id) ? list.filter((x) => x !== id) : [...list, id]));
  return (
    <form
      class="stacked-form"
      onSubmit={async (e) => {
        e.preventDefault();
        // The other locales a counter was given elsewhere (CLI, API) are kept; the French one is the form's.
        const { fr_FR: _fr, ...others } = initial?.names ?? {};
        const names = { ...others, ...(nameFr.trim() ? { fr_FR: nameFr.trim() } : {}) };
        if (chosen.length > 0 && (await onSubmit({ name: name.trim(), names, queueIds: chosen })) && !initial) {
          setName('');
          setNameFr('');
          setChosen([]);
        }
      }}
    >
      <Field id={`${idPrefix}-name`} label={t('counter.name')}>
        <input id={`${idPrefix}-name`} required maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </Field>
      <Field id={`${idPrefix}-fr`} label={t('counter.nameFr')}>
        <input id={`${idPrefix}-fr`} lang="fr" maxLength={100} value={nameFr} onInput={(e) => setNameFr(e.currentTarget.value)} />
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
      <FormButtons label={submitLabel} busy={busy !== null || chosen.length === 0} t={t} onCancel={onCancel} />
    </form>
  );
}
