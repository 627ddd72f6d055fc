/**
 * The kiosk page (`/kiosk`): a tablet at the entrance. A visitor picks a queue, may leave a phone
 * number to be texted, and gets a ticket number on screen with a QR code to follow it on their
 * phone, and a ticket they can print. The screen returns to the start by itself.
 */
import { useEffect, useState } from 'preact/hooks';
import { renderSVG } from 'uqr';
import { withCommon } from '../shared/common-words.js';
import { describeError } from '../shared/errors.js';
import { API_LOCALE, nameIn, useLang, type PageLang, type Translate } from '../shared/i18n.js';
import { LangSwitch, Notice } from '../shared/components.js';
import { forgetKioskKey, kioskKey, loadHome, takeTicket, type KioskHome, type KioskQueue, type WalkIn } from './api.js';
import { KIOSK_WORDS } from './words.js';

const DICTS = withCommon(KIOSK_WORDS);
/** How long a ticket stays on screen before the kiosk is ready for the next visitor. */
const SHOW_TICKET_MS = 45_000;
const E164 = /^\+[1-9]\d{6,14}$/;

type View = { kind: 'pick' } | { kind: 'details'; queue: KioskQueue } | { kind: 'ticket'; walkIn: WalkIn; queue: KioskQueue };

export function App() {
  const { lang, setLang, t, langs } = useLang(DICTS);
  const [key] = useState(kioskKey);
  const [loaded, setHome] = useState<KioskHome | null>(null);
  const home = loaded && inLanguage(loaded, lang);
  const [view, setView] = useState<View>({ kind: 'pick' });
  const [error, setError] = useState<string | null>(null);

  const refresh = () => {
    if (!key) return;
    loadHome(key).then(
      (found) => {
        setHome(found);
        setError(null);
      },
      (e: unknown) => setError(describeError(e, t)),
    );
  };
  useEffect(refresh, [key]);
  useEffect(() => {
    if (view.kind !== 'ticket') return;
    const back = setTimeout(() => {
      setView({ kind: 'pick' });
      refresh();
    }, SHOW_TICKET_MS);
    return () => clearTimeout(back);
  }, [view]);

  const body = () => {
    if (!key) return <p class="kiosk-message">{t('setup')}</p>;
    if (!home) return <p class="kiosk-message">{error ?? t('common.loading')}</p>;
    if (view.kind === 'details')
      return (
        <Details
          queue={view.queue}
          t={t}
          onCancel={() => setView({ kind: 'pick' })}
          onTake={async (phone) => {
            try {
              const walkIn = await takeTicket(key, {
                queueId: view.queue.queueId,
                lang: API_LOCALE[lang],
                ...(phone ? { userData: { phone }, sendClientSms: true } : {}),
              });
              setError(null);
              setView({ kind: 'ticket', walkIn, queue: view.queue });
            } catch (e) {
              setError(describeError(e, t));
            }
          }}
        />
      );
    if (view.kind === 'ticket')
      return <Ticket walkIn={view.walkIn} queue={view.queue} place={home.place.name} t={t} onDone={() => setView({ kind: 'pick' })} />;
    return <Pick home={home} t={t} onPick={(queue) => setView({ kind: 'details', queue })} />;
  };

  return (
    <>
      <header class="topbar kiosk-top">
        <span class="brand">{home?.place.name ?? 'queuebell'}</span>
        <div class="tools">
          <LangSwitch lang={lang} setLang={setLang} t={t} langs={langs} />
        </div>
      </header>
      <main class="kiosk">
        {error && key && home && (
          <Notice kind="error" t={t}>
            {error}
          </Notice>
        )}
        {body()}
        {error && key && !home && (
          <button type="button" class="link-button" onClick={forgetKioskKey}>
            {t('forget')}
          </button>
        )}
      </main>
    </>
  );
}

/** The place's and queues' names in the kiosk's language, where the admin gave them. */
function inLanguage(home: KioskHome, lang: PageLang): KioskHome {
  return {
    ...home,
    place: { ...home.place, name: nameIn(home.place.names, lang, home.place.name) },
    queues: home.queues.map((queue) => ({ ...queue, name: nameIn(queue.names, lang, queue.name) })),
  };
}

function Pick({ home, t, onPick }: { home: KioskHome; t: Translate; onPick(queue: KioskQueue): void }) {
  return (
    <section aria-labelledby="pick-title">
      <h1 id="pick-title">{t('pick.title')}</h1>
      <div class="kiosk-queues">
        {home.queues.map((queue) => (
          <button
            key={queue.queueId}
            type="button"
            class="kiosk-queue"
            disabled={!queue.state.bookingIsOpened}
            onClick={() => onPick(queue)}
          >
            <span class="kiosk-queue-name">{queue.name}</span>
            <span class="kiosk-queue-wait">
              {queue.state.bookingIsOpened
                ? t('pick.waiting', { count: queue.state.waiting.people, minutes: queue.state.estimatedWaitMinutes })
                : t('pick.closed')}
            </span>
          </button>
        ))}
      </div>
    </section>
  );
}

function Details({
  queue,
  t,
  onCancel,
  onTake,
}: {
  queue: KioskQueue;
  t: Translate;
  onCancel(): void;
  onTake(phone: string | null): Promise<void>;
}) {
  const [phone, setPhone] = useState('');
  const [busy, setBusy] = useState(false);
  const cleaned = phone.replace(/[\s.-]/g, '');
  const valid = cleaned === '' || E164.test(cleaned);
  return (
    <form
      class="card kiosk-details"
      aria-labelledby="details-title"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!valid || busy) return;
        setBusy(true);
        await onTake(cleaned || null);
        setBusy(false);
      }}
    >
      <h1 id="details-title">{queue.name}</h1>
      <label class="field" for="kiosk-phone">
        <span class="label">{t('details.phone')}</span>
        <input
          id="kiosk-phone"
          type="tel"
          inputMode="tel"
          autoComplete="off"
          placeholder="+33 6 12 34 56 78"
          value={phone}
          aria-invalid={!valid}
          aria-describedby="kiosk-phone-hint"
          onInput={(e) => setPhone(e.currentTarget.value)}
        />
        <span class="hint" id="kiosk-phone-hint">
          {valid ? t('details.phoneHint') : t('details.phoneInvalid')}
        </span>
      </label>
      <div class="kiosk-actions">
        <button type="submit" class="button big" disabled={!valid || busy}>
          {t('details.take')}
        </button>
        <button type="button" class="button secondary big" onClick={onCancel}>
          {t('details.back')}
        </button>
      </div>
    </form>
  );
}

function Ticket({ walkIn, queue, place, t, onDone }: { walkIn: WalkIn; queue: KioskQueue; place: string; t: Translate; onDone(): void }) {
  const link = `${location.origin}${walkIn.followPath}`;
  const image = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(renderSVG(link, { border: 2 }))}`;
  const ahead = walkIn.ticket.ticketPosition?.queue.people ?? 0;
  return (
    <section class="card kiosk-ticket" aria-labelledby="ticket-title" data-testid="kiosk-ticket">
      <p class="kiosk-place">{place}</p>
      <h1 id="ticket-title">{t('ticket.title')}</h1>
      <p class="kiosk-label" data-testid="kiosk-label">
        {walkIn.ticket.label}
      </p>
      <p>{queue.name}</p>
      <p>{t('ticket.ahead', { count: ahead })}</p>
      <figure class="kiosk-qr">
        <img src={image} width={220} height={220} alt={t('ticket.qrAlt')} data-testid="kiosk-qr" data-link={link} />
        <figcaption>{t('ticket.scan')}</figcaption>
      </figure>
      <div class="kiosk-actions no-print">
        <button type="button" class="button big" onClick={() => window.print()}>
          {t('ticket.print')}
        </button>
        <button type="button" class="button secondary big" onClick={onDone}>
          {t('ticket.done')}
        </button>
      </div>
    </section>
  );
}
