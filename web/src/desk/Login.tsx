/** Signing in at a counter: the counter comes from the link (?counter=) or is typed once. */
import { useState } from 'preact/hooks';
import type { PagesConfig } from '../shared/config.js';
import { describeError } from '../shared/errors.js';
import type { Translate } from '../shared/i18n.js';
import { Field, Notice } from '../shared/components.js';
import { signIn, type DeskSession } from './api.js';

export function Login({
  config,
  t,
  reason,
  onSignedIn,
}: {
  config: PagesConfig | null;
  t: Translate;
  reason: string | null;
  onSignedIn(session: DeskSession): void;
}) {
  const linked = new URLSearchParams(location.search).get('counter');
  const [counterId, setCounterId] = useState(linked ?? config?.demo?.endpointId ?? '');
  const [loginId, setLoginId] = useState(config?.demo?.operatorLoginId ?? '');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await signIn(counterId.trim(), loginId.trim(), password));
    } catch (e) {
      setError(describeError(e, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card login" onSubmit={submit} aria-labelledby="login-title">
      <h1 id="login-title">{t('login.title')}</h1>
      {reason && (
        <Notice kind="info" t={t}>
          {reason}
        </Notice>
      )}
      {error && (
        <Notice kind="error" t={t}>
          {error}
        </Notice>
      )}
      {config?.demo?.operatorLoginId && <p class="muted">{t('login.demo', { loginId: config.demo.operatorLoginId })}</p>}
      <Field id="counter" label={t('login.counter')} hint={t('login.counterHint')}>
        <input
          id="counter"
          required
          value={counterId}
          aria-describedby="counter-hint"
          onInput={(e) => setCounterId(e.currentTarget.value)}
        />
      </Field>
      <Field id="login" label={t('login.loginId')}>
        <input id="login" required autoComplete="username" value={loginId} onInput={(e) => setLoginId(e.currentTarget.value)} />
      </Field>
      <Field id="password" label={t('login.password')}>
        <input
          id="password"
          type="password"
          required
          autoComplete="current-password"
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
      </Field>
      <button type="submit" class="button big" disabled={busy} aria-busy={busy}>
        {busy ? t('login.busy') : t('login.submit')}
      </button>
    </form>
  );
}
