/**
 * A company's credentials (docs/design.md §Credentials): API keys with their scopes and service
 * accounts. A new key or key file is shown once, in the notice; the lists never show a secret.
 */
import { useEffect, useState } from 'preact/hooks';
import { describeError } from '../shared/errors.js';
import type { Translate } from '../shared/i18n.js';
import { Field } from '../shared/components.js';
import { admin } from './api.js';
import { ConfirmButton } from './ConfirmButton.js';
import { NoticeView } from './NoticeView.js';
import { useAction } from './use-action.js';

const SCOPES = ['booking', 'server', 'operator', 'admin'] as const;
type Scope = (typeof SCOPES)[number];

interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  revokedAt: string | null;
}
interface ServiceAccount {
  id: string;
  name: string;
  clientEmail: string;
  scopes: string[];
  createdAt: string;
  revokedAt: string | null;
}

export function CredentialsPanel({ token, companyId, t }: { token: string; companyId: string; t: Translate }) {
  const [keys, setKeys] = useState<ApiKey[]>([]);
  const [accounts, setAccounts] = useState<ServiceAccount[]>([]);
  const { busy, notice, setNotice, run } = useAction(t);
  const base = `/admin/companies/${companyId}`;
  const load = async () => {
    const [foundKeys, foundAccounts] = await Promise.all([
      admin<ApiKey[]>(token, 'GET', `${base}/keys`),
      admin<ServiceAccount[]>(token, 'GET', `${base}/service-accounts`),
    ]);
    setKeys(foundKeys.filter((key) => !key.revokedAt));
    setAccounts(foundAccounts.filter((account) => !account.revokedAt));
  };
  useEffect(() => void load().catch((error: unknown) => setNotice({ kind: 'error', text: describeError(error, t) })), [companyId]);
  const scopeNames = (scopes: string[]) => scopes.map((scope) => t(`scope.${scope}`)).join(', ');

  return (
    <section class="card" aria-labelledby="keys-title">
      <h2 id="keys-title">{t('keys.title')}</h2>
      <NoticeView notice={notice} t={t} onDismiss={() => setNotice(null)} />
      <h3>{t('keys.apiKeys')}</h3>
      <p class="muted">{t('keys.intro')}</p>
      <ul class="plain-list" data-testid="api-keys">
        {keys.length === 0 && <li class="muted">{t('keys.none')}</li>}
        {keys.map((key) => (
          <li key={key.id} class="row-with-actions">
            <span class="wrap">
              <strong>{key.name}</strong> · <code>{key.prefix}…</code> · {scopeNames(key.scopes)}
            </span>
            <ConfirmButton
              label={t('keys.revoke')}
              ariaLabel={t('keys.revokeOf', { name: key.name })}
              question={t('keys.confirmRevoke', { name: key.name })}
              disabled={busy !== null}
              t={t}
              onConfirm={() =>
                void run('key', async () => {
                  await admin(token, 'DELETE', `${base}/keys/${key.id}`);
                  await load();
                  return t('keys.revoked', { name: key.name });
                })
              }
            />
          </li>
        ))}
      </ul>
      <CreateCredential
        id={`key-${companyId}`}
        summary={t('keys.create')}
        defaultScopes={['booking']}
        busy={busy}
        t={t}
        onCreate={(name, scopes) =>
          run('key', async () => {
            const created = await admin<{ key: string }>(token, 'POST', `${base}/keys`, {
              body: { scopes, ...(name ? { name } : {}) },
            });
            await load();
            return { kind: 'success', text: t('keys.created'), secret: created.key };
          })
        }
      />
      <h3>{t('accounts.title')}</h3>
      <p class="muted">{t('accounts.intro')}</p>
      <ul class="plain-list" data-testid="service-accounts">
        {accounts.length === 0 && <li class="muted">{t('accounts.none')}</li>}
        {accounts.map((account) => (
          <li key={account.id} class="row-with-actions">
            <span class="wrap">
              <strong>{account.name}</strong> · <code>{account.clientEmail}</code> · {scopeNames(account.scopes)}
            </span>
            <ConfirmButton
              label={t('keys.revoke')}
              ariaLabel={t('keys.revokeOf', { name: account.name })}
              question={t('accounts.confirmRevoke', { name: account.name })}
              disabled={busy !== null}
              t={t}
              onConfirm={() =>
                void run('account', async () => {
                  await admin(token, 'DELETE', `${base}/service-accounts/${account.id}`);
                  await load();
                  return t('accounts.revoked', { name: account.name });
                })
              }
            />
          </li>
        ))}
      </ul>
      <CreateCredential
        id={`account-${companyId}`}
        summary={t('accounts.create')}
        defaultScopes={['booking']}
        busy={busy}
        t={t}
        onCreate={(name, scopes) =>
          run('account', async () => {
            const file = await admin<unknown>(token, 'POST', `${base}/service-accounts`, { body: { scopes, ...(name ? { name } : {}) } });
            await load();
            return { kind: 'success', text: t('accounts.created'), secret: JSON.stringify(file, null, 2) };
          })
        }
      />
    </section>
  );
}

function CreateCredential(props: {
  id: string;
  summary: string;
  defaultScopes: Scope[];
  busy: string | null;
  t: Translate;
  onCreate(name: string, scopes: Scope[]): Promise<boolean>;
}) {
  const { id, t } = props;
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>(props.defaultScopes);
  const toggle = (scope: Scope) => setScopes((list) => (list.includes(scope) ? list.filter((s) => s !== scope) : [...list, scope]));
  return (
    <details class="create">
      <summary>{props.summary}</summary>
      <form
        class="stacked-form"
        onSubmit={async (e) => {
          e.preventDefault();
          if (await props.onCreate(name.trim(), scopes)) setName('');
        }}
      >
        <Field id={`${id}-name`} label={t('keys.name')}>
          <input id={`${id}-name`} maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </Field>
        <fieldset>
          <legend>{t('keys.scopes')}</legend>
          {SCOPES.map((scope) => (
            <label class="check" key={scope}>
              <input type="checkbox" checked={scopes.includes(scope)} onChange={() => toggle(scope)} />
              {t(`scope.${scope}`)} <span class="muted small">— {t(`scope.${scope}.hint`)}</span>
            </label>
          ))}
        </fieldset>
        <button type="submit" class="button" disabled={props.busy !== null}>
          {props.summary}
        </button>
      </form>
    </details>
  );
}
