/** Pieces every page uses: the connection badge, the language switch, the status line. */
import type { ComponentChildren } from 'preact';
import type { PageLang, Translate } from './i18n.js';
import type { LiveState } from './live.js';

/** Each language in its own words, so a person finds theirs whatever the page speaks now. */
const LANG_NAMES: Record<PageLang, string> = {
  en: 'English',
  fr: 'Français',
  es: 'Español',
  de: 'Deutsch',
  it: 'Italiano',
  nl: 'Nederlands',
};

export function ConnectionBadge({ state, t, testId = 'connection' }: { state: LiveState; t: Translate; testId?: string }) {
  return (
    <span class={`badge badge-${state}`} role="status" aria-live="polite" data-testid={testId}>
      <span class="badge-dot" aria-hidden="true" />
      {t(`live.${state}`)}
    </span>
  );
}

/** A language picker offering the page's languages (`useLang`'s `langs`). */
export function LangSwitch<L extends PageLang>({
  lang,
  setLang,
  t,
  langs,
}: {
  lang: L;
  setLang: (lang: L) => void;
  t: Translate;
  langs: readonly L[];
}) {
  return (
    <label class="lang-switch">
      <span class="visually-hidden">{t('common.language')}</span>
      <select value={lang} onChange={(event) => setLang((event.currentTarget as HTMLSelectElement).value as L)}>
        {langs.map((code) => (
          <option value={code} key={code} lang={code}>
            {LANG_NAMES[code]}
          </option>
        ))}
      </select>
    </label>
  );
}

export type NoticeKind = 'info' | 'success' | 'error';

/** A message for the person after an action; assertive for errors so a screen reader says it at once. */
export function Notice({
  kind,
  children,
  onDismiss,
  t,
}: {
  kind: NoticeKind;
  children: ComponentChildren;
  onDismiss?: () => void;
  t: Translate;
}) {
  return (
    <div class={`notice notice-${kind}`} role={kind === 'error' ? 'alert' : 'status'} data-testid={`notice-${kind}`}>
      <div class="notice-text">{children}</div>
      {onDismiss && (
        <button type="button" class="link-button" onClick={onDismiss}>
          {t('common.dismiss')}
        </button>
      )}
    </div>
  );
}

export function Field({ label, hint, children, id }: { label: string; hint?: string; id: string; children: ComponentChildren }) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {children}
      {hint && (
        <small id={`${id}-hint`} class="hint">
          {hint}
        </small>
      )}
    </div>
  );
}
