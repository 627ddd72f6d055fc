/** A queue's appointment types (docs/design.md §Routes, admin): list, add, change and delete. */
import { useEffect, useState } from 'preact/hooks';
import { describeError } from '../shared/errors.js';
import type { Translate } from '../shared/i18n.js';
import { Field } from '../shared/components.js';
import { admin } from './api.js';
import { EditableRow, FormButtons } from './EditableRow.js';
import { NoticeView } from './NoticeView.js';
import { useAction } from './use-action.js';

export interface AppointmentType {
  id: string;
  name: string;
  names: Record<string, string>;
  durationMinutes: number;
  capacity: number;
}
type TypeBody = Pick<AppointmentType, 'name' | 'names' | 'durationMinutes' | 'capacity'>;

export function AppointmentTypesPanel({ token, queueId, t }: { token: string; queueId: string; t: Translate }) {
  const [types, setTypes] = useState<AppointmentType[] | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const { busy, notice, setNotice, run } = useAction(t);
  const load = async () => setTypes(await admin<AppointmentType[]>(token, 'GET', `/admin/queues/${queueId}/appointmentTypes`));
  useEffect(() => void load().catch((error: unknown) => setNotice({ kind: 'error', text: describeError(error, t) })), [queueId]);
  const act = (action: () => Promise<string>) =>
    run('type', async () => {
      const text = await action();
      await load();
      return text;
    });

  return (
    <section aria-labelledby={`types-${queueId}`} data-testid="appointment-types">
      <h3 id={`types-${queueId}`}>{t('types.title')}</h3>
      <p class="muted">{t('types.intro')}</p>
      <NoticeView notice={notice} t={t} onDismiss={() => setNotice(null)} />
      {types && types.length === 0 && <p class="muted">{t('types.none')}</p>}
      <ul class="plain-list">
        {types?.map((type) => (
          <li key={type.id}>
            {editing === type.id ? (
              <TypeForm
                idPrefix={`type-${type.id}`}
                initial={type}
                busy={busy}
                t={t}
                submitLabel={t('common.save')}
                onCancel={() => setEditing(null)}
                onSubmit={(body) =>
                  act(async () => {
                    await admin(token, 'PATCH', `/admin/appointmentTypes/${type.id}`, { body });
                    setEditing(null);
                    return t('types.saved', { name: body.name });
                  })
                }
              />
            ) : (
              <EditableRow
                name={type.name}
                confirmDelete={t('types.confirmDelete', { name: type.name })}
                busy={busy !== null}
                t={t}
                onEdit={() => setEditing(type.id)}
                onDelete={() =>
                  void act(async () => {
                    await admin(token, 'DELETE', `/admin/appointmentTypes/${type.id}`);
                    return t('types.deleted', { name: type.name });
                  })
                }
              >
                <strong>{type.name}</strong>
                {type.names.fr_FR ? ` / ${type.names.fr_FR}` : ''} —{' '}
                {t('types.summary', { minutes: type.durationMinutes, count: type.capacity })}
              </EditableRow>
            )}
          </li>
        ))}
      </ul>
      <details class="create">
        <summary>{t('types.create')}</summary>
        <TypeForm
          idPrefix={`new-type-${queueId}`}
          busy={busy}
          t={t}
          submitLabel={t('types.create')}
          onSubmit={(body) =>
            act(async () => {
              await admin(token, 'POST', `/admin/queues/${queueId}/appointmentTypes`, { body });
              return t('types.created', { name: body.name });
            })
          }
        />
      </details>
    </section>
  );
}

function TypeForm({
  idPrefix,
  initial,
  busy,
  t,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  idPrefix: string;
  initial?: AppointmentType;
  busy: string | null;
  t: Translate;
  submitLabel: string;
  onSubmit(body: TypeBody): Promise<boolean>;
  onCancel?(): void;
}) {
  const [name, setName] = useState(initial?.name ?? '');
  const [nameFr, setNameFr] = useState(initial?.names.fr_FR ?? '');
  const [duration, setDuration] = useState(String(initial?.durationMinutes ?? 15));
  const [capacity, setCapacity] = useState(String(initial?.capacity ?? 1));
  return (
    <form
      class="stacked-form"
      onSubmit={async (e) => {
        e.preventDefault();
        const { fr_FR: _fr, ...others } = initial?.names ?? {};
        const body: TypeBody = {
          name: name.trim(),
          names: { ...others, ...(nameFr.trim() ? { fr_FR: nameFr.trim() } : {}) },
          // Sent as typed: the API refuses what is out of range, in its own words.
          durationMinutes: Number(duration),
          capacity: Number(capacity),
        };
        if ((await onSubmit(body)) && !initial) {
          setName('');
          setNameFr('');
        }
      }}
    >
      <div class="settings-grid">
        <Field id={`${idPrefix}-name`} label={t('types.name')}>
          <input id={`${idPrefix}-name`} required maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </Field>
        <Field id={`${idPrefix}-fr`} label={t('types.nameFr')}>
          <input id={`${idPrefix}-fr`} lang="fr" maxLength={100} value={nameFr} onInput={(e) => setNameFr(e.currentTarget.value)} />
        </Field>
        <Field id={`${idPrefix}-duration`} label={t('types.duration')} hint={t('types.durationHint')}>
          <input
            id={`${idPrefix}-duration`}
            type="number"
            required
            aria-describedby={`${idPrefix}-duration-hint`}
            value={duration}
            onInput={(e) => setDuration(e.currentTarget.value)}
          />
        </Field>
        <Field id={`${idPrefix}-capacity`} label={t('types.capacity')} hint={t('types.capacityHint')}>
          <input
            id={`${idPrefix}-capacity`}
            type="number"
            required
            aria-describedby={`${idPrefix}-capacity-hint`}
            value={capacity}
            onInput={(e) => setCapacity(e.currentTarget.value)}
          />
        </Field>
      </div>
      <FormButtons label={submitLabel} busy={busy !== null} t={t} onCancel={onCancel} />
    </form>
  );
}
