/** The counter desk (`/desk`): sign in at a counter, then work the line. */
import { useEffect, useState } from 'preact/hooks';
import { withCommon } from '../shared/common-words.js';
import { loadPagesConfig, type PagesConfig } from '../shared/config.js';
import { useLang } from '../shared/i18n.js';
import { LangSwitch } from '../shared/components.js';
import { forgetDesk, logout, storedDesk, type DeskSession } from './api.js';
import { Desk } from './Desk.js';
import { Login } from './Login.js';
import { DESK_WORDS } from './words.js';

const DICTS = withCommon(DESK_WORDS);

export function App() {
  const { lang, setLang, t, langs } = useLang(DICTS);
  // undefined while loading: the sign-in form is prefilled from it (the demo's counter and login).
  const [config, setConfig] = useState<PagesConfig | null | undefined>(undefined);
  const [session, setSession] = useState<DeskSession | null>(storedDesk);
  const [reason, setReason] = useState<string | null>(null);

  useEffect(() => {
    loadPagesConfig().then(setConfig, () => setConfig(null));
  }, []);

  const signOut = (why: string | null) => {
    // Best effort: the token is forgotten here whatever the service answers.
    if (session) logout(session).catch(() => {});
    forgetDesk();
    setReason(why);
    setSession(null);
  };

  return (
    <>
      <header class="topbar">
        <span class="brand">queuebell · {t('desk.brand')}</span>
        <div class="tools">
          <LangSwitch lang={lang} setLang={setLang} t={t} langs={langs} />
        </div>
      </header>
      <main class="desk-page">
        {config === undefined && !session ? (
          <p>{t('common.loading')}</p>
        ) : session ? (
          <Desk key={session.token} session={session} t={t} lang={lang} onSignOut={signOut} />
        ) : (
          <Login
            config={config ?? null}
            t={t}
            reason={reason}
            onSignedIn={(s) => {
              setReason(null);
              setSession(s);
            }}
          />
        )}
      </main>
    </>
  );
}
