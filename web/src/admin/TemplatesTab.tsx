/**
 * Message texts per queue, action and language, with a live preview filled with sample values.
 * Empty overrides fall back to the built-in texts (src/queue-service/notifications/templates.ts),
 * which the page shows so the admin edits from what people receive today.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { STATE_ACTIONS } from '../../../src/contract/ticket-states.js';
import {
  DEFAULT_TEMPLATES,
  alertTextKey,
  renderTemplate,
  templateFor,
  type TemplateValues,
} from '../../../src/contract/message-templates.js';
import type { PageLang, Translate } from '../shared/i18n.js';
import { Field } from '../shared/components.js';
import { listPlaces, listQueues, patchQueue, type Queue, type Template } from './api.js';
import { NoticeView } from './NoticeView.js';
import { localeLabel, templateKeyLabel } from './template-labels.js';
import { useAction } from './use-action.js';

const LOCALES = ['en_US', 'fr_FR'] as const;
type Locale = (typeof LOCALES)[number];

const SAMPLE: Record<Locale, TemplateValues> = {
  en_US: {
    label: 'A012',
    counter: 'Counter 3',
    queue: 'ID cards',
    place: 'Town Hall',
    ahead: '2',
    eta: '10:45',
    appointment: 'Tuesday 3 March at 14:30',
  },
  fr_FR: {
    label: 'A012',
    counter: 'Guichet 3',
    queue: "Cartes d'identité",
    place: 'Mairie',
    ahead: '2',
    eta: '10:45',
    appointment: 'mardi 3 mars à 14:30',
  },
};

interface Props {
  token: string;
  companyId: string;
  t: Translate;
  lang: PageLang;
}

export function TemplatesTab({ token, companyId, t, lang }: Props) {
  const [queues, setQueues] = useState<Queue[] | null>(null);
  const [queueId, setQueueId] = useState('');
  const [action, setAction] = useState<string>('TICKET_CALLED');
  const [locale, setLocale] = useState<Locale>(lang === 'fr' ? 'fr_FR' : 'en_US');
  const { busy, notice, setNotice, run } = useAction(t);

  useEffect(() => {
    void listPlaces(token, companyId).then(async (places) => {
      const all = (await Promise.all(places.map((place) => listQueues(token, place.id)))).flat();
      setQueues(all);
      setQueueId((current) => current || all[0]?.id || '');
    });
  }, [companyId]);

  const queue = queues?.find((candidate) => candidate.id === queueId) ?? null;
  const override = queue?.settings.templates[action]?.[locale] ?? null;
  const actions = useMemo(
    () => [
      ...STATE_ACTIONS,
      // Texts finer than an action (src/contract/message-templates.ts): the postponement, each alert position.
      'TICKET_POSTPONED',
      ...(queue?.settings.alertPositions ?? []).map(alertTextKey),
      ...(queue?.settings.reminders ?? []).map((rule) => `TICKET_REMIND_${rule.id}`),
    ],
    [queue],
  );

  const saveTemplates = (templates: Queue['settings']['templates'], message: string) =>
    run('save', async () => {
      const saved = await patchQueue(token, queue!.id, { settings: { templates } });
      setQueues((list) => list?.map((candidate) => (candidate.id === saved.id ? saved : candidate)) ?? null);
      return message;
    });
  const save = (own: Template) =>
    void saveTemplates(
      { ...queue!.settings.templates, [action]: { ...queue!.settings.templates[action], [locale]: own } },
      t('templates.saved'),
    );
  const reset = () => {
    const { [locale]: _dropped, ...rest } = queue!.settings.templates[action] ?? {};
    const templates = { ...queue!.settings.templates };
    if (Object.keys(rest).length > 0) templates[action] = rest;
    else delete templates[action];
    void saveTemplates(templates, t('templates.resetDone'));
  };

  if (!queues) return <p>{t('common.loading')}</p>;
  return (
    <section class="card" aria-label={t('tab.templates')}>
      <NoticeView notice={notice} t={t} onDismiss={() => setNotice(null)} />
      <div class="settings-grid">
        <Field id="tpl-queue" label={t('templates.queue')}>
          <select id="tpl-queue" value={queueId} onChange={(e) => setQueueId(e.currentTarget.value)}>
            {queues.map((candidate) => (
              <option key={candidate.id} value={candidate.id}>
                {candidate.name}
              </option>
            ))}
          </select>
        </Field>
        <Field id="tpl-action" label={t('templates.action')}>
          <select id="tpl-action" value={action} onChange={(e) => setAction(e.currentTarget.value)}>
            {actions.map((name) => (
              <option key={name} value={name}>
                {templateKeyLabel(name, t, queue?.settings.reminders)}
              </option>
            ))}
          </select>
        </Field>
        <Field id="tpl-locale" label={t('templates.locale')}>
          <select id="tpl-locale" value={locale} onChange={(e) => setLocale(e.currentTarget.value as Locale)}>
            {LOCALES.map((name) => (
              <option key={name} value={name} lang={name.slice(0, 2)}>
                {localeLabel(name)}
              </option>
            ))}
          </select>
        </Field>
      </div>
      {queue && (
        // Keyed by what it edits: its draft starts from that template in the first render, never after the person typed.
        <TemplateEditor
          key={`${queue.id}:${action}:${locale}:${override ? 'own' : 'built-in'}`}
          initial={templateFor(action, locale, queue.settings.templates)}
          locale={locale}
          overridden={override !== null}
          busy={busy !== null}
          t={t}
          onSave={save}
          onReset={reset}
        />
      )}
    </section>
  );
}

interface EditorProps {
  initial: Template;
  locale: Locale;
  overridden: boolean;
  busy: boolean;
  t: Translate;
  onSave(template: Template): void;
  onReset(): void;
}

function TemplateEditor({ initial, locale, overridden, busy, t, onSave, onReset }: EditorProps) {
  const [draft, setDraft] = useState<Template>(initial);
  const submit = (event: Event) => {
    event.preventDefault();
    onSave({ text: draft.text.trim(), ...(draft.subject?.trim() ? { subject: draft.subject.trim() } : {}) });
  };
  return (
    <form onSubmit={submit}>
      <p class="muted">{overridden ? t('templates.override') : t('templates.default')}</p>
      <Field id="tpl-subject" label={t('templates.subject')}>
        <input
          id="tpl-subject"
          maxLength={200}
          value={draft.subject ?? ''}
          placeholder={DEFAULT_TEMPLATES[locale].TICKET_BOOKED.subject}
          onInput={(e) => setDraft({ ...draft, subject: e.currentTarget.value })}
        />
      </Field>
      <Field id="tpl-text" label={t('templates.text')} hint={t('templates.placeholders')}>
        <textarea
          id="tpl-text"
          required
          maxLength={1000}
          aria-describedby="tpl-text-hint"
          value={draft.text}
          onInput={(e) => setDraft({ ...draft, text: e.currentTarget.value })}
        />
      </Field>
      <section class="preview" aria-labelledby="tpl-preview" aria-live="polite">
        <h3 id="tpl-preview">{t('templates.preview')}</h3>
        {draft.subject && (
          <p>
            <strong>{renderTemplate(draft.subject, SAMPLE[locale])}</strong>
          </p>
        )}
        <p data-testid="template-preview">{renderTemplate(draft.text, SAMPLE[locale])}</p>
      </section>
      <div class="actions">
        <button type="submit" class="button" disabled={busy || !draft.text.trim()}>
          {t('templates.save')}
        </button>
        {overridden && (
          <button type="button" class="button secondary" disabled={busy} onClick={onReset}>
            {t('templates.reset')}
          </button>
        )}
      </div>
    </form>
  );
}
