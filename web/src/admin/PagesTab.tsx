/**
 * What the public pages use (`PUT /admin/pages`): the booking key, the place and queue they open
 * on, and the push app the ticket page registers with — served to browsers at /config.json. And
 * how long the company's personal data is kept (`PUT /admin/companies/{id}/retention`).
 */
import { useEffect, useState } from 'preact/hooks';
import type { Translate } from '../shared/i18n.js';
import { Field } from '../shared/components.js';
import { admin, type PagesSettings } from './api.js';
import { NoticeView } from './NoticeView.js';
import { useAction } from './use-action.js';

interface Props {
  token: string;
  companyId: string;
  t: Translate;
}

const FIELDS = ['bookingKey', 'placeId', 'queueId', 'serverUrl', 'appId', 'appKey', 'vapidPublicKey'] as const;
type Form = Record<(typeof FIELDS)[number], string>;

function toForm(settings: PagesSettings): Form {
  return {
    bookingKey: settings.bookingKey ?? '',
    placeId: settings.placeId ?? '',
    queueId: settings.queueId ?? '',
    serverUrl: settings.push?.serverUrl ?? '',
    appId: settings.push?.appId ?? '',
    appKey: settings.push?.appKey ?? '',
    vapidPublicKey: settings.push?.vapidPublicKey ?? '',
  };
}

function toSettings(form: Form, demo: PagesSettings['demo']): PagesSettings {
  const value = (text: string) => text.trim() || null;
  const push =
    value(form.serverUrl) && value(form.appId) && value(form.appKey)
      ? {
          serverUrl: form.serverUrl.trim(),
          appId: form.appId.trim(),
          appKey: form.appKey.trim(),
          vapidPublicKey: value(form.vapidPublicKey),
        }
      : null;
  return { bookingKey: value(form.bookingKey), placeId: value(form.placeId), queueId: value(form.queueId), push, demo };
}

export function PagesTab({ token, companyId, t }: Props) {
  const [loaded, setLoaded] = useState<PagesSettings | null>(null);
  const [form, setForm] = useState<Form | null>(null);
  const [days, setDays] = useState<number | null>(null);
  const { busy, notice, setNotice, run } = useAction(t);
  useEffect(() => {
    void admin<PagesSettings>(token, 'GET', '/admin/pages').then((settings) => {
      setLoaded(settings);
      setForm(toForm(settings));
    });
    void admin<{ retentionDays: number }>(token, 'GET', `/admin/companies/${companyId}`).then((company) => setDays(company.retentionDays));
  }, [companyId]);

  if (!form || !loaded) return <p>{t('common.loading')}</p>;
  const input = (name: (typeof FIELDS)[number]) => (
    <Field id={`pages-${name}`} label={t(`pages.${name}`)} hint={t(`pages.${name}.hint`)}>
      <input id={`pages-${name}`} value={form[name]} onInput={(e) => setForm({ ...form, [name]: e.currentTarget.value })} />
    </Field>
  );
  return (
    <>
      <NoticeView notice={notice} t={t} onDismiss={() => setNotice(null)} />
      <form
        class="card"
        aria-labelledby="pages-title"
        onSubmit={(e) => {
          e.preventDefault();
          void run('pages', async () => {
            const saved = await admin<PagesSettings>(token, 'PUT', '/admin/pages', { body: toSettings(form, loaded.demo) });
            setLoaded(saved);
            setForm(toForm(saved));
            return t('pages.saved');
          });
        }}
      >
        <h2 id="pages-title">{t('pages.title')}</h2>
        <p class="muted">{t('pages.intro')}</p>
        {input('bookingKey')}
        {input('placeId')}
        {input('queueId')}
        <h3>{t('pages.push')}</h3>
        {input('serverUrl')}
        {input('appId')}
        {input('appKey')}
        {input('vapidPublicKey')}
        <button type="submit" class="button" disabled={busy !== null}>
          {t('pages.save')}
        </button>
      </form>
      {days !== null && (
        <form
          class="card"
          aria-labelledby="retention-title"
          onSubmit={(e) => {
            e.preventDefault();
            void run('retention', async () => {
              await admin(token, 'PUT', `/admin/companies/${companyId}/retention`, { body: { days } });
              return t('retention.saved', { days });
            });
          }}
        >
          <h2 id="retention-title">{t('retention.title')}</h2>
          <Field id="retention-days" label={t('retention.days')} hint={t('retention.hint')}>
            <input
              id="retention-days"
              type="number"
              min={1}
              max={3650}
              required
              value={days}
              onInput={(e) => setDays(Number(e.currentTarget.value))}
            />
          </Field>
          <button type="submit" class="button" disabled={busy !== null}>
            {t('retention.save')}
          </button>
        </form>
      )}
    </>
  );
}
