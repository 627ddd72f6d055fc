/**
 * A queue's settings: alert positions, timeouts, capacity, reminders and deliver-by deadlines.
 * Saved with one PATCH; the API merges by key, so reminders and deadlines go whole.
 */
import { useState } from 'preact/hooks';
import { DEFAULT_DELIVER_BY_SECONDS } from '../../../src/contract/deliver-by.js';
import type { Translate } from '../shared/i18n.js';
import { Field } from '../shared/components.js';
import { patchQueue, type Queue, type QueueSettings, type ReminderRule } from './api.js';
import { NoticeView } from './NoticeView.js';
import { useAction } from './use-action.js';

type NumberKey = 'appointmentAlertMinutes' | 'onHoldTimeoutMinutes' | 'noShowTimeoutMinutes' | 'defaultServiceMinutes' | 'maxGroupSize';
const NUMBERS: NumberKey[] = [
  'onHoldTimeoutMinutes',
  'noShowTimeoutMinutes',
  'defaultServiceMinutes',
  'appointmentAlertMinutes',
  'maxGroupSize',
];
const FLAGS = ['bookingOpen', 'confirmRequired', 'phoneRequired', 'mailRequired', 'contactVerificationRequired'] as const;
/** Limits where an empty field means none (docs/security.md §Fair use). */
const OPTIONAL_LIMITS = [
  'maxWaitingTickets',
  'maxOpenTicketsPerUser',
  'maxOpenTicketsPerContact',
  'bookingsPerAddressPerHour',
  'bookingsPerKeyPerHour',
] as const;

interface Props {
  token: string;
  queue: Queue;
  t: Translate;
  onSaved(queue: Queue): void;
  onClose(): void;
}

export function QueueSettingsForm({ token, queue, t, onSaved, onClose }: Props) {
  const [settings, setSettings] = useState<QueueSettings>(queue.settings);
  const [positions, setPositions] = useState(queue.settings.alertPositions.join(', '));
  const { busy, notice, setNotice, run } = useAction(t);
  const set = <K extends keyof QueueSettings>(key: K, value: QueueSettings[K]) => setSettings((current) => ({ ...current, [key]: value }));

  const save = (event: Event) => {
    event.preventDefault();
    const { templates: _templates, minGroupSize: _min, ...changes } = settings;
    void run('save', async () => {
      onSaved(await patchQueue(token, queue.id, { settings: { ...changes, alertPositions: parsePositions(positions) } }));
      return t('settings.saved');
    });
  };

  return (
    <form class="card settings" onSubmit={save} aria-labelledby="settings-title" data-testid="queue-settings">
      <h2 id="settings-title">{t('settings.title', { name: queue.name })}</h2>
      <NoticeView notice={notice} t={t} onDismiss={() => setNotice(null)} />
      <div class="settings-grid">
        <Field id="s-alertPositions" label={t('settings.alertPositions')}>
          <input
            id="s-alertPositions"
            inputMode="numeric"
            pattern="^\s*(\d+\s*(,\s*\d+\s*)*)?$"
            value={positions}
            onInput={(e) => setPositions(e.currentTarget.value)}
          />
        </Field>
        {NUMBERS.map((key) => (
          <Field key={key} id={`s-${key}`} label={t(`settings.${key}`)}>
            <input
              id={`s-${key}`}
              type="number"
              min={key === 'maxGroupSize' || key.endsWith('Minutes') ? 1 : 0}
              step={key === 'defaultServiceMinutes' ? 0.1 : 1}
              value={settings[key]}
              onInput={(e) => set(key, Number(e.currentTarget.value))}
              required
            />
          </Field>
        ))}
        {OPTIONAL_LIMITS.map((key) => (
          <Field key={key} id={key === 'maxWaitingTickets' ? 's-max' : `s-${key}`} label={t(`settings.${key}`)}>
            <input
              id={key === 'maxWaitingTickets' ? 's-max' : `s-${key}`}
              type="number"
              min={1}
              value={settings[key] ?? ''}
              onInput={(e) => set(key, e.currentTarget.value ? Number(e.currentTarget.value) : null)}
            />
          </Field>
        ))}
      </div>
      {FLAGS.map((key) => (
        <label class="check" key={key}>
          <input type="checkbox" checked={settings[key]} onChange={(e) => set(key, e.currentTarget.checked)} />
          {t(`settings.${key}`)}
        </label>
      ))}
      <Reminders rules={settings.reminders} t={t} onChange={(rules) => set('reminders', rules)} />
      <Deadlines values={settings.deliverBySeconds} t={t} onChange={(values) => set('deliverBySeconds', values)} />
      <div class="actions">
        <button type="submit" class="button" disabled={busy !== null} aria-busy={busy === 'save'}>
          {t('settings.save')}
        </button>
        <button type="button" class="button secondary" onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
    </form>
  );
}

/** "2, 1" → [2, 1]; the API sorts them and refuses duplicates. */
function parsePositions(text: string): number[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map(Number);
}

function Reminders({ rules, t, onChange }: { rules: ReminderRule[]; t: Translate; onChange(rules: ReminderRule[]): void }) {
  const [kind, setKind] = useState<'minutes' | 'day'>('minutes');
  const [value, setValue] = useState('60');
  const add = () => {
    const id = Math.max(0, ...rules.map((rule) => rule.id)) + 1;
    if (kind === 'minutes' && Number(value) > 0) onChange([...rules, { id, minutesBefore: Math.round(Number(value)) }]);
    if (kind === 'day' && /^([01]\d|2[0-3]):[0-5]\d$/.test(value)) onChange([...rules, { id, dayBefore: true, at: value }]);
  };
  return (
    <fieldset>
      <legend>{t('settings.reminders')}</legend>
      {rules.length === 0 && <p class="muted">{t('settings.noReminders')}</p>}
      <ul class="plain-list">
        {rules.map((rule) => (
          <li key={rule.id}>
            {'minutesBefore' in rule
              ? t('settings.reminderMinutes', { minutes: rule.minutesBefore, id: rule.id })
              : t('settings.reminderDayBefore', { at: rule.at, id: rule.id })}{' '}
            <button type="button" class="link-button" onClick={() => onChange(rules.filter((r) => r.id !== rule.id))}>
              {t('settings.reminderRemove')}
            </button>
          </li>
        ))}
      </ul>
      <div class="inline-form">
        <Field id="r-kind" label={t('settings.reminderKind')}>
          <select
            id="r-kind"
            value={kind}
            onChange={(e) => {
              const next = e.currentTarget.value as 'minutes' | 'day';
              setKind(next);
              setValue(next === 'day' ? '18:00' : '60');
            }}
          >
            <option value="minutes">{t('settings.reminderKindMinutes')}</option>
            <option value="day">{t('settings.reminderKindDay')}</option>
          </select>
        </Field>
        <Field id="r-value" label={t('settings.reminderValue')}>
          <input
            id="r-value"
            type={kind === 'day' ? 'time' : 'number'}
            min={1}
            value={value}
            onInput={(e) => setValue(e.currentTarget.value)}
          />
        </Field>
        <button type="button" class="button secondary" onClick={add}>
          {t('settings.reminderAdd')}
        </button>
      </div>
    </fieldset>
  );
}

function Deadlines({
  values,
  t,
  onChange,
}: {
  values: Record<string, number>;
  t: Translate;
  onChange(values: Record<string, number>): void;
}) {
  const update = (action: string, minutes: string) => {
    const next = { ...values };
    if (minutes === '' || Number(minutes) <= 0) delete next[action];
    else next[action] = Math.round(Number(minutes) * 60);
    onChange(next);
  };
  return (
    <fieldset>
      <legend>{t('settings.deadlines')}</legend>
      <p class="hint">{t('settings.deadlinesHint')}</p>
      <div class="settings-grid">
        {Object.entries(DEFAULT_DELIVER_BY_SECONDS).map(([action, seconds]) => (
          <Field key={action} id={`d-${action}`} label={action}>
            <input
              id={`d-${action}`}
              type="number"
              min={1}
              placeholder={t('settings.deadlineDefault', { minutes: seconds / 60 })}
              value={values[action] !== undefined ? values[action] / 60 : ''}
              onInput={(e) => update(action, e.currentTarget.value)}
            />
          </Field>
        ))}
      </div>
    </fieldset>
  );
}
