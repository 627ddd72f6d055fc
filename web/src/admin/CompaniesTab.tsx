/**
 * Companies and their credentials: add and rename companies (the admin token only), then the
 * chosen company's API keys and service accounts: create one (its secret shown once), revoke one.
 */
import { useState } from 'preact/hooks';
import type { Translate } from '../shared/i18n.js';
import { Field } from '../shared/components.js';
import { admin, type Company } from './api.js';
import { CredentialsPanel } from './CredentialsPanel.js';
import { NoticeView } from './NoticeView.js';
import { useAction } from './use-action.js';

interface Props {
  token: string;
  companyId: string;
  companies: Company[];
  t: Translate;
  /** After a company is added or renamed: the picker reloads, and shows the new one. */
  onCompaniesChanged(chosenId?: string): Promise<void>;
}

export function CompaniesTab({ token, companyId, companies, t, onCompaniesChanged }: Props) {
  const { busy, notice, setNotice, run } = useAction(t);
  const company = companies.find((candidate) => candidate.id === companyId);
  return (
    <>
      <section class="card" aria-labelledby="companies-title">
        <h2 id="companies-title">{t('companies.title')}</h2>
        <NoticeView notice={notice} t={t} onDismiss={() => setNotice(null)} />
        <ul class="plain-list" data-testid="companies">
          {companies.map((candidate) => (
            <li key={candidate.id} class="wrap">
              <strong>{candidate.name}</strong> · <code>{candidate.id}</code>
              {candidate.id === companyId ? ` · ${t('companies.chosen')}` : ''}
            </li>
          ))}
        </ul>
        {company && (
          <NameForm
            key={company.id}
            id="company-rename"
            label={t('companies.rename', { name: company.name })}
            submit={t('companies.renameSubmit')}
            initial={company.name}
            busy={busy}
            onSubmit={(name) =>
              run('rename', async () => {
                await admin(token, 'PATCH', `/admin/companies/${company.id}`, { body: { name } });
                await onCompaniesChanged();
                return t('companies.renamed', { name });
              })
            }
          />
        )}
        <details class="create">
          <summary>{t('companies.create')}</summary>
          <p class="muted">{t('companies.createHint')}</p>
          <NameForm
            id="company-new"
            label={t('companies.name')}
            submit={t('companies.create')}
            initial=""
            busy={busy}
            onSubmit={(name) =>
              run('create', async () => {
                const created = await admin<Company>(token, 'POST', '/admin/companies', { body: { name } });
                await onCompaniesChanged(created.id);
                return t('companies.created', { name });
              })
            }
          />
        </details>
      </section>
      <CredentialsPanel key={companyId} token={token} companyId={companyId} t={t} />
    </>
  );
}

function NameForm(props: {
  id: string;
  label: string;
  submit: string;
  initial: string;
  busy: string | null;
  onSubmit(name: string): Promise<boolean>;
}) {
  const [name, setName] = useState(props.initial);
  return (
    <form
      class="inline-form"
      onSubmit={async (e) => {
        e.preventDefault();
        if ((await props.onSubmit(name.trim())) && !props.initial) setName('');
      }}
    >
      <Field id={props.id} label={props.label}>
        <input id={props.id} required maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </Field>
      <button type="submit" class="button" disabled={props.busy !== null}>
        {props.submit}
      </button>
    </form>
  );
}
