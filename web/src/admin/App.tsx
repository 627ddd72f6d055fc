/** The admin page (`/admin`): sign in with the admin token, pick a company, then one of its tabs. */
import { useEffect, useState } from 'preact/hooks';
import { withCommon } from '../shared/common-words.js';
import { describeError } from '../shared/errors.js';
import { useLang } from '../shared/i18n.js';
import { Field, LangSwitch, Notice } from '../shared/components.js';
import { keepToken, listCompanies, storedToken, type Company } from './api.js';
import { AnalyticsTab } from './AnalyticsTab.js';
import { CompaniesTab } from './CompaniesTab.js';
import { LimitsTab } from './LimitsTab.js';
import { MessagesTab } from './MessagesTab.js';
import { OperatorsTab } from './OperatorsTab.js';
import { PagesTab } from './PagesTab.js';
import { QueuesTab } from './QueuesTab.js';
import { TemplatesTab } from './TemplatesTab.js';
import { WebhooksTab } from './WebhooksTab.js';
import { ADMIN_WORDS } from './words.js';

const DICTS = withCommon(ADMIN_WORDS);
const TABS = ['queues', 'operators', 'templates', 'webhooks', 'messages', 'analytics', 'companies', 'limits', 'pages'] as const;
export type Tab = (typeof TABS)[number];

export function App() {
  const { lang, setLang, t, langs } = useLang(DICTS);
  const [token, setToken] = useState<string | null>(storedToken);
  const [companies, setCompanies] = useState<Company[] | null>(null);
  const [companyId, setCompanyId] = useState<string | null>(null);
  const [tab, setTab] = useState<Tab>('queues');
  const [messageFilter, setMessageFilter] = useState<{ destinationId?: string }>({});
  const [error, setError] = useState<string | null>(null);

  const loadCompanies = async (token: string, chosenId?: string) => {
    const found = await listCompanies(token);
    setCompanies(found);
    setCompanyId((current) => chosenId ?? current ?? found[0]?.id ?? null);
  };
  useEffect(() => {
    if (!token) return;
    loadCompanies(token).catch((e: unknown) => {
      setError(describeError(e, t));
      signOut();
    });
  }, [token]);

  const signOut = () => {
    keepToken(null);
    setToken(null);
    setCompanies(null);
  };

  const body = () => {
    if (!token)
      return (
        <Login
          t={t}
          error={error}
          onToken={(value) => {
            setError(null);
            keepToken(value);
            setToken(value);
          }}
        />
      );
    if (!companies || !companyId) return <p>{t('common.loading')}</p>;
    const props = { token, companyId, t, lang };
    return (
      <>
        <nav class="tabs" aria-label="Admin">
          {TABS.map((name) => (
            <button
              key={name}
              type="button"
              class={`tab ${tab === name ? 'active' : ''}`}
              aria-current={tab === name ? 'page' : undefined}
              onClick={() => setTab(name)}
            >
              {t(`tab.${name}`)}
            </button>
          ))}
        </nav>
        {tab === 'queues' && <QueuesTab key={companyId} {...props} />}
        {tab === 'operators' && <OperatorsTab key={companyId} token={token} companyId={companyId} t={t} />}
        {tab === 'templates' && <TemplatesTab key={companyId} {...props} />}
        {tab === 'webhooks' && (
          <WebhooksTab
            key={companyId}
            {...props}
            onShowMessages={(destinationId) => {
              setMessageFilter({ destinationId });
              setTab('messages');
            }}
          />
        )}
        {tab === 'pages' && <PagesTab key={companyId} token={token} companyId={companyId} t={t} />}
        {tab === 'messages' && (
          <MessagesTab key={`${companyId}:${messageFilter.destinationId ?? ''}`} {...props} initialFilter={messageFilter} />
        )}
        {tab === 'analytics' && <AnalyticsTab key={companyId} {...props} />}
        {tab === 'companies' && (
          <CompaniesTab {...props} companies={companies} onCompaniesChanged={(chosenId) => loadCompanies(token, chosenId)} />
        )}
        {tab === 'limits' && <LimitsTab key={companyId} {...props} />}
      </>
    );
  };

  return (
    <>
      <header class="topbar">
        <span class="brand">queuebell · {t('brand')}</span>
        <div class="tools">
          {companies && companies.length > 0 && (
            <label class="company-pick">
              <span>{t('login.company')}</span>
              <select value={companyId ?? ''} onChange={(e) => setCompanyId(e.currentTarget.value)}>
                {companies.map((company) => (
                  <option key={company.id} value={company.id}>
                    {company.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          <LangSwitch lang={lang} setLang={setLang} t={t} langs={langs} />
          {token && (
            <button type="button" class="link-button" onClick={signOut}>
              {t('login.signOut')}
            </button>
          )}
        </div>
      </header>
      <main class="admin-page">{body()}</main>
    </>
  );
}

function Login({ t, error, onToken }: { t: ReturnType<typeof useLang>['t']; error: string | null; onToken(token: string): void }) {
  const [value, setValue] = useState('');
  return (
    <form
      class="card login"
      onSubmit={(e) => {
        e.preventDefault();
        if (value.trim()) onToken(value.trim());
      }}
      aria-labelledby="login-title"
    >
      <h1 id="login-title">{t('login.title')}</h1>
      {error && (
        <Notice kind="error" t={t}>
          {error}
        </Notice>
      )}
      <Field id="token" label={t('login.token')} hint={t('login.tokenHint')}>
        <input
          id="token"
          type="password"
          required
          autoComplete="off"
          aria-describedby="token-hint"
          value={value}
          onInput={(e) => setValue(e.currentTarget.value)}
        />
      </Field>
      <button type="submit" class="button big">
        {t('login.submit')}
      </button>
    </form>
  );
}
