/**
 * Where the company's messages go: each destination with its health (why it fails, how many
 * messages wait), enable/disable, secret rotation with an overlap, and a new destination. A new
 * secret is shown once, here, and never again.
 */
import { useEffect, useState } from 'preact/hooks';
import type { PageLang, Translate } from '../shared/i18n.js';
import { Field } from '../shared/components.js';
import { admin, deliveryHealth, type Webhook } from './api.js';
import { NoticeView } from './NoticeView.js';
import { useAction } from './use-action.js';

interface Props {
  token: string;
  companyId: string;
  t: Translate;
  lang: PageLang;
  onShowMessages(destinationId: string): void;
}

export function WebhooksTab({ token, companyId, t, lang, onShowMessages }: Props) {
  const [hooks, setHooks] = useState<Webhook[] | null>(null);
  const { busy, notice, setNotice, run } = useAction(t);
  const load = async () => setHooks((await deliveryHealth(token, companyId)).destinations);
  useEffect(() => void load().catch(() => setHooks([])), [companyId]);
  const when = (iso: string) => new Date(iso).toLocaleString(lang);

  const act = (key: string, work: () => Promise<{ text: string; secret?: string }>) =>
    run(key, async () => {
      const result = await work();
      await load();
      return { kind: 'success', ...result };
    });

  if (!hooks) return <p>{t('common.loading')}</p>;
  return (
    <>
      <NoticeView notice={notice} t={t} onDismiss={() => setNotice(null)} />
      <section class="card" aria-labelledby="hooks-title">
        <h2 id="hooks-title">{t('webhooks.title')}</h2>
        {hooks.length === 0 && <p>{t('webhooks.none')}</p>}
        {hooks.map((hook) => (
          <article class={`webhook health-${hook.health}`} key={hook.id} data-testid="webhook">
            <h3>
              <code>{hook.url}</code>
            </h3>
            {hook.description && <p>{hook.description}</p>}
            <p>
              <strong class="health">
                {t(`webhooks.health.${hook.health}`, { since: hook.failingSince ? when(hook.failingSince) : '' })}
              </strong>
              {hook.waitingMessages !== undefined && <> · {t('webhooks.waiting', { count: hook.waitingMessages })}</>}
              {' · '}
              {t('webhooks.secrets', { count: hook.secrets.filter((s) => !s.expiresAt || Date.parse(s.expiresAt) > Date.now()).length })}
              {hook.secrets.find((s) => s.expiresAt && Date.parse(s.expiresAt) > Date.now()) && (
                <> ({t('webhooks.expires', { at: when(hook.secrets.find((s) => s.expiresAt)!.expiresAt!) })})</>
              )}
            </p>
            {(hook.lastFailureReason || hook.disabledReason) && (
              <p class="muted">{t('webhooks.lastFailure', { reason: hook.disabledReason ?? hook.lastFailureReason ?? '' })}</p>
            )}
            <div class="actions">
              <button
                type="button"
                class="button secondary"
                disabled={busy !== null}
                onClick={() =>
                  void act(`toggle:${hook.id}`, async () => {
                    await admin(token, 'PATCH', `/admin/webhooks/${hook.id}`, { body: { enabled: !hook.enabled } });
                    return { text: t(hook.enabled ? 'webhooks.disabled' : 'webhooks.enabled') };
                  })
                }
              >
                {t(hook.enabled ? 'webhooks.disable' : 'webhooks.enable')}
              </button>
              <Rotate
                hook={hook}
                busy={busy}
                t={t}
                onRotate={(overlapSeconds) =>
                  act(`rotate:${hook.id}`, async () => {
                    const rotated = await admin<{ secret: string }>(token, 'POST', `/admin/webhooks/${hook.id}/secret/rotate`, {
                      body: { overlapSeconds },
                    });
                    return { text: t('webhooks.rotated'), secret: rotated.secret };
                  })
                }
              />
              {hook.secrets.length > 1 && (
                <button
                  type="button"
                  class="button secondary"
                  disabled={busy !== null}
                  onClick={() =>
                    void act(`revoke:${hook.id}`, async () => {
                      await admin(token, 'POST', `/admin/webhooks/${hook.id}/secret/revoke-previous`);
                      return { text: t('webhooks.revoked') };
                    })
                  }
                >
                  {t('webhooks.revokePrevious')}
                </button>
              )}
              <button type="button" class="link-button" onClick={() => onShowMessages(hook.id)}>
                {t('webhooks.showMessages')}
              </button>
            </div>
          </article>
        ))}
      </section>
      <CreateWebhook
        busy={busy}
        t={t}
        onCreate={(url, description) =>
          act('create', async () => {
            const created = await admin<{ secret: string }>(token, 'POST', `/admin/companies/${companyId}/webhooks`, {
              body: { url, ...(description ? { description } : {}) },
            });
            return { text: t('webhooks.created'), secret: created.secret };
          })
        }
      />
    </>
  );
}

function Rotate({
  hook,
  busy,
  t,
  onRotate,
}: {
  hook: Webhook;
  busy: string | null;
  t: Translate;
  onRotate(overlapSeconds: number): Promise<boolean>;
}) {
  const [overlap, setOverlap] = useState(86_400);
  return (
    <span class="rotate">
      <label for={`overlap-${hook.id}`} class="visually-hidden">
        {t('webhooks.overlap')}
      </label>
      <select
        id={`overlap-${hook.id}`}
        value={overlap}
        onChange={(e) => setOverlap(Number(e.currentTarget.value))}
        title={t('webhooks.overlap')}
      >
        {[86_400, 3_600, 0].map((seconds) => (
          <option key={seconds} value={seconds}>
            {t('webhooks.overlap')}: {t(`webhooks.overlap.${seconds}`)}
          </option>
        ))}
      </select>
      <button type="button" class="button secondary" disabled={busy !== null} onClick={() => void onRotate(overlap)}>
        {t('webhooks.rotate')}
      </button>
    </span>
  );
}

function CreateWebhook({
  busy,
  t,
  onCreate,
}: {
  busy: string | null;
  t: Translate;
  onCreate(url: string, description: string): Promise<boolean>;
}) {
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  return (
    <form
      class="card"
      onSubmit={async (e) => {
        e.preventDefault();
        if (await onCreate(url.trim(), description.trim())) {
          setUrl('');
          setDescription('');
        }
      }}
      aria-labelledby="new-hook"
    >
      <h2 id="new-hook">{t('webhooks.create')}</h2>
      <Field id="hook-url" label={t('webhooks.url')}>
        <input
          id="hook-url"
          type="url"
          required
          value={url}
          onInput={(e) => setUrl(e.currentTarget.value)}
          placeholder="https://push.example.com/v1/apps/…/messages"
        />
      </Field>
      <Field id="hook-desc" label={t('webhooks.description')}>
        <input id="hook-desc" maxLength={500} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
      </Field>
      <button type="submit" class="button" disabled={busy !== null}>
        {t('webhooks.create')}
      </button>
    </form>
  );
}
