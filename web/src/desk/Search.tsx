/** Finding a ticket by label, name or phone — the person at the desk says "I had A012". */
import { useState } from 'preact/hooks';
import { describeError } from '../shared/errors.js';
import type { PageLang, Translate } from '../shared/i18n.js';
import { Notice } from '../shared/components.js';
import { listTickets, type DeskSession, type Roles, type TicketView } from './api.js';
import { TicketTable } from './TicketTable.js';
import type { DeskAction } from './transitions.js';

interface Props {
  session: DeskSession;
  roles: Roles;
  busy: string | null;
  t: Translate;
  lang: PageLang;
  timeZone: string;
  onAction(ticket: TicketView, action: DeskAction): void;
}

export function Search({ session, roles, busy, t, lang, timeZone, onAction }: Props) {
  const [text, setText] = useState('');
  const [found, setFound] = useState<TicketView[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const search = async (event: Event) => {
    event.preventDefault();
    if (!text.trim()) return setFound(null);
    setError(null);
    try {
      setFound(await listTickets(session, { q: text.trim(), limit: 50 }));
    } catch (e) {
      setError(describeError(e, t));
    }
  };

  return (
    <section class="card" aria-labelledby="search-title">
      <search>
        <form class="search" onSubmit={search}>
          <label id="search-title" for="search">
            {t('search.label')}
          </label>
          <div class="search-row">
            <input id="search" type="search" value={text} onInput={(e) => setText(e.currentTarget.value)} maxLength={100} />
            <button type="submit" class="button">
              {t('search.submit')}
            </button>
            {found && (
              <button
                type="button"
                class="button secondary"
                onClick={() => {
                  setText('');
                  setFound(null);
                }}
              >
                {t('search.clear')}
              </button>
            )}
          </div>
        </form>
      </search>
      {error && (
        <Notice kind="error" t={t}>
          {error}
        </Notice>
      )}
      {found?.length === 0 && <p class="muted">{t('search.none')}</p>}
      {found && found.length > 0 && (
        <TicketTable
          tickets={found}
          roles={roles}
          busy={busy}
          t={t}
          lang={lang}
          timeZone={timeZone}
          onAction={(ticket, action) => {
            onAction(ticket, action);
            setFound(null);
          }}
          testId="search-results"
        />
      )}
    </section>
  );
}
