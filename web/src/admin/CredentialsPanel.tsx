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

/** A credential as the lists show it: never its secret. */
interface Credential {
  id: string;
  name: string;
  scopes: string[];
  revokedAt: string | null;
  /** An API key's first characters. */
  prefix?: string;
  /** A service account's JWT issuer. */
  clientEmail?: string;
}

/** The two kinds, each with its words (`keys.…`, `accounts.…`), its route and what its creation answers once. */
const KINDS = [
  { words: 'keys', path: 'keys', testId: 'api-keys', secretOf: (created: { key?: string }) => created.key ?? '' },
  { words: 'accounts', path: 'service-accounts', testId: 'service-accounts', secretOf: (file: unknown) => JSON.stringify(file, null, 2) },
] as const;

export function CredentialsPanel({ token, companyId, t }: { token: string; companyId: string; t: Translate }) {
  const base = `/admin/companies/${companyId}`;
  return (
    <section class="card" aria-labelledby="keys-title">
      <h2 id="keys-title">{t('keys.title')}</h2>
      {KINDS.map((kind) => (
        <CredentialList key={kind.path} kind={kind} path={`${base}/${kind.path}`} token={token} t={t} />
      ))}
    </section>
  );
}

function CredentialList({ kind, path, token, t }: { kind: (typeof KINDS)[number]; path: string; token: string; t: Translate }) {
  const [items, setItems] = useState<Credential[]>([]);
  const { busy, notice, setNotice, run } = useAction(t);
  const words = (key: string, vars?: Record<string, string>) => t(`${kind.words}.${key}`, vars);
  const load = async () => setItems((await admin<Credential[]>(token, 'GET', path)).filter((item) => !item.revokedAt));
  useEffect(() => void load().catch((error: unknown) => setNotice({ kind: 'error', text: describeError(error, t) })), [path]);

  return (
    <>
      <h3>{words('listTitle')}</h3>
      <p class="muted">{words('intro')}</p>
      <NoticeView notice={notice} t={t} onDismiss={() => setNotice(null)} />
      <ul class="plain-list" data-testid={kind.testId}>
        {items.length === 0 && <li class="muted">{words('none')}</li>}
        {items.map((item) => (
          <li key={item.id} class="row-with-actions">
            <span class="wrap">
              <strong>{item.name}</strong> · <code>{item.prefix ? `${item.prefix}…` : item.clientEmail}</code> ·{' '}
              {item.scopes.map((scope) => t(`scope.${scope}`)).join(', ')}
            </span>
            <ConfirmButton
              label={t('keys.revoke')}
              ariaLabel={t('keys.revokeOf', { name: item.name })}
              question={words('confirmRevoke', { name: item.name })}
              disabled={busy !== null}
              t={t}
              onConfirm={() =>
                void run('revoke', async () => {
                  await admin(token, 'DELETE', `${path}/${item.id}`);
                  await load();
                  return words('revoked', { name: item.name });
                })
              }
            />
          </li>
        ))}
      </ul>
      <CreateCredential
        id={`new-${kind.testId}`}
        summary={words('create')}
        defaultScopes={['booking']}
        busy={busy}
        t={t}
        onCreate={(name, scopes) =>
          run('create', async () => {
            const created = await admin<{ key?: string }>(token, 'POST', path, { body: { scopes, ...(name ? { name } : {}) } });
            await load();
            return { kind: 'success', text: words('created'), secret: kind.secretOf(created) };
          })
        }
      />
    </>
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
