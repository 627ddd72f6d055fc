/**
 * The display board (`/display/{placeId}`): a full-screen "now serving" for a screen in the
 * waiting room — the latest call huge, the previous ones below, each counter with its ticket —
 * live over the place's call stream.
 */
import { useEffect, useState } from 'preact/hooks';
import { withCommon } from '../shared/common-words.js';
import { loadPagesConfig, type PagesConfig } from '../shared/config.js';
import { describeError } from '../shared/errors.js';
import { nameIn, useLang, type PageLang, type Translate } from '../shared/i18n.js';
import { timeAt } from '../shared/time.js';
import { ConnectionBadge, LangSwitch } from '../shared/components.js';
import { useCalls, type Call } from './use-calls.js';
import { DISPLAY_WORDS } from './words.js';

const DICTS = withCommon(DISPLAY_WORDS);

export function App() {
  const { lang, setLang, t, langs } = useLang(DICTS);
  const [config, setConfig] = useState<PagesConfig | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => {
    loadPagesConfig().then(setConfig, (e: unknown) => setFailed(describeError(e, t)));
  }, []);

  const placeId = decodeURIComponent(location.pathname.split('/')[2] ?? '') || config?.placeId || null;
  if (failed) return <p class="board-message">{failed}</p>;
  if (!config) return <p class="board-message">{t('common.loading')}</p>;
  if (!config.bookingKey) return <p class="board-message">{t('noKey')}</p>;
  if (!placeId) return <p class="board-message">{t('noPlace')}</p>;
  return <Board placeId={placeId} bookingKey={config.bookingKey} lang={lang} setLang={setLang} langs={langs} t={t} />;
}

function Board({
  placeId,
  bookingKey,
  lang,
  setLang,
  langs,
  t,
}: {
  placeId: string;
  bookingKey: string;
  lang: PageLang;
  setLang(lang: PageLang): void;
  langs: PageLang[];
  t: Translate;
}) {
  const { place, calls, liveState, error } = useCalls(placeId, bookingKey);
  const counterName = (names: Record<string, string>, fallback: string) => nameIn(names, lang, fallback);
  const nameOf = (call: Call) => (call.endpoint ? counterName(call.endpoint.name, '') : '');
  const [latest, ...earlier] = calls;

  return (
    <div class="board">
      <header class="board-head">
        <h1>{place ? nameIn(place.names, lang, place.name) : ''}</h1>
        {place && <Clock lang={lang} timeZone={place.timeZone} />}
        <div class="board-tools">
          <ConnectionBadge state={liveState} t={t} />
          <LangSwitch lang={lang} setLang={setLang} t={t} langs={langs} />
        </div>
      </header>
      {error !== null && <p class="board-message">{describeError(error, t)}</p>}
      <main class="board-main">
        <section class="now" aria-labelledby="now-title">
          <h2 id="now-title" class="now-caption">
            {t('title')}
          </h2>
          {latest ? (
            <div key={latest.eventId ?? latest.calledAt} class="now-call flash" data-testid="now-serving">
              <p class="now-label">{latest.label}</p>
              <p class="now-counter">
                <span aria-hidden="true">→ </span>
                {nameOf(latest)}
              </p>
              {latest.recall && <p class="now-recall">{t('recall')}</p>}
            </div>
          ) : (
            <p class="now-none">{t('none')}</p>
          )}
          {/* Screen readers hear each call once, in a sentence. */}
          <p class="visually-hidden" aria-live="assertive">
            {latest ? t('latest', { label: latest.label, counter: nameOf(latest) }) : ''}
          </p>
        </section>
        {earlier.length > 0 && (
          <section class="recent" aria-labelledby="recent-title">
            <h2 id="recent-title">{t('recent')}</h2>
            <ol class="recent-list" data-testid="recent-calls">
              {earlier.slice(0, 6).map((call) => (
                <li key={call.eventId ?? `${call.ticketId}${call.calledAt}`}>
                  <span class="recent-label">{call.label}</span>
                  <span class="recent-counter">{nameOf(call)}</span>
                </li>
              ))}
            </ol>
          </section>
        )}
        <section class="counters" aria-labelledby="counters-title">
          <h2 id="counters-title">{t('counters')}</h2>
          <ul class="counter-grid">
            {place?.endpoints.map((counter) => (
              <li key={counter.id} class={counter.isOpen ? 'open' : 'closed'}>
                <span class="counter-name">{counterName(counter.names, counter.name)}</span>
                <span class="counter-ticket">{counter.isOpen ? (counter.current?.label ?? t('counter.idle')) : t('counter.closed')}</span>
                {counter.isOpen && counter.current?.priority && <span class="priority-mark">{t('priority')}</span>}
              </li>
            ))}
          </ul>
        </section>
      </main>
    </div>
  );
}

/** The place's time, whatever the screen's computer is set to. */
function Clock({ lang, timeZone }: { lang: PageLang; timeZone: string }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);
  return (
    <p class="board-clock" data-testid="board-clock">
      {timeAt(now, lang, timeZone)}
    </p>
  );
}
