/**
 * The ticket page (`/`, mobile first): pick a queue (or arrive by a queue's link), take a ticket,
 * then follow it live. The person's tickets come from `GET /v2/user/tickets` and stay current over
 * the user's server-sent event stream; the badge says whether what they read is live.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { withCommon } from '../shared/common-words.js';
import { loadPagesConfig, type PagesConfig } from '../shared/config.js';
import { describeError } from '../shared/errors.js';
import { API_LOCALE, useLang, type PageLang, type Translate } from '../shared/i18n.js';
import { ConnectionBadge, LangSwitch, Notice } from '../shared/components.js';
import { getQueue, type Queue, type TicketView } from './api.js';
import { BookingForm } from './BookingForm.js';
import { counterNameIn } from './counter-names.js';
import { DemoPushPanel } from './DemoPushPanel.js';
import { ENDED_STATES } from './describe.js';
import { registerServiceWorker, renewDemoSubscription, storedPush } from './push.js';
import { QueuePicker } from './QueuePicker.js';
import { TicketCard } from './TicketCard.js';
import { usePlaceZones } from './use-place-zones.js';
import { useUserTickets } from './use-user-tickets.js';
import { TICKET_WORDS } from './words.js';

const DICTS = withCommon(TICKET_WORDS);

export function App() {
  const { lang, setLang, t, langs } = useLang(DICTS);
  const [config, setConfig] = useState<PagesConfig | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    loadPagesConfig().then(setConfig, (e: unknown) => setError(describeError(e, t)));
  }, []);

  return (
    <>
      <header class="topbar">
        <a class="brand" href="/">
          queuebell
        </a>
        <div class="tools">
          <LangSwitch lang={lang} setLang={setLang} t={t} langs={langs} />
        </div>
      </header>
      <main class="ticket-page">
        {error && (
          <Notice kind="error" t={t}>
            {error}
          </Notice>
        )}
        {!config && !error && <p>{t('common.loading')}</p>}
        {config && !config.bookingKey && (
          <Notice kind="info" t={t}>
            {t('page.noConfig')}
          </Notice>
        )}
        {config?.bookingKey && <TicketFlow config={{ ...config, bookingKey: config.bookingKey }} lang={lang} t={t} />}
      </main>
    </>
  );
}

type View = { kind: 'tickets' } | { kind: 'pick' } | { kind: 'book'; queue: Queue };

interface FlowProps {
  config: PagesConfig & { bookingKey: string };
  lang: PageLang;
  t: Translate;
}

function TicketFlow({ config, lang, t }: FlowProps) {
  const { session, tickets, liveState, upsert, adoptSession } = useUserTickets(config.bookingKey);
  const [view, setView] = useState<View>({ kind: 'tickets' });
  const [notice, setNotice] = useState<string | null>(null);
  const [now, setNow] = useState(Date.now());
  const [push, setPush] = useState(() => storedPush(config));
  const zones = usePlaceZones(config.bookingKey, tickets);

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  useEffect(() => {
    if (!push) return;
    void registerServiceWorker();
    void renewDemoSubscription(config, API_LOCALE[lang]).then((renewed) => {
      if (renewed && renewed.demoSubscriptionId !== push.demoSubscriptionId) setPush(renewed);
    });
  }, [push?.demoSubscriptionId]);

  // Arriving by a queue's link (a QR code at the door): straight to its form, unless already in it.
  const linkedQueue = new URLSearchParams(location.search).get('queue') ?? null;
  useEffect(() => {
    if (tickets === null) return;
    const active = tickets.filter((ticket) => !ENDED_STATES.has(ticket.state));
    const queueId = linkedQueue ?? (active.length === 0 ? config.queueId : null);
    if (active.some((ticket) => ticket.queue.queueId === queueId)) return;
    if (queueId)
      getQueue(config.bookingKey, queueId).then(
        (queue) => setView({ kind: 'book', queue }),
        () => setView({ kind: 'pick' }),
      );
    else if (active.length === 0) setView({ kind: 'pick' });
  }, [tickets === null]);

  const booked = useCallback(
    (ticket: TicketView, pushProblem: string | null) => {
      adoptSession();
      upsert(ticket);
      setPush(storedPush(config));
      setNotice(pushProblem);
      setView({ kind: 'tickets' });
    },
    [config],
  );

  if (view.kind === 'pick')
    return (
      <QueuePicker
        bookingKey={config.bookingKey}
        placeId={config.placeId}
        t={t}
        lang={lang}
        onPick={(queue) => setView({ kind: 'book', queue })}
      />
    );
  if (view.kind === 'book')
    return <BookingForm queue={view.queue} config={config} t={t} lang={lang} onBooked={booked} onBack={() => setView({ kind: 'pick' })} />;
  if (tickets === null || !session) return <p>{t('common.loading')}</p>;

  const shown = visibleTickets(tickets);
  const pushOn = shown.some((ticket) => ticket.notifications.sendClientPush);
  return (
    <>
      <div class="live-row">
        <ConnectionBadge state={liveState} t={t} />
      </div>
      {notice && (
        <Notice kind="info" t={t} onDismiss={() => setNotice(null)}>
          {notice}
        </Notice>
      )}
      {shown.map((ticket) => (
        <TicketCard
          key={ticket.ticketId}
          ticket={ticket}
          session={session}
          now={now}
          t={t}
          lang={lang}
          timeZone={zones[ticket.place.placeId] ?? null}
          counterName={counterNameIn(ticket, lang)}
          onChanged={upsert}
        />
      ))}
      {shown.length > 0 && <p class="muted">{pushOn ? t('push.on') : t('push.off')}</p>}
      <div class="actions">
        <button type="button" class="button secondary" onClick={() => setView({ kind: 'pick' })}>
          {t('action.newTicket')}
        </button>
      </div>
      {pushOn && push?.mode === 'demo' && push.demoSubscriptionId && config.demo?.webPushBridgeUrl && (
        <DemoPushPanel
          bridgeUrl={config.demo.webPushBridgeUrl}
          subscriptionId={push.demoSubscriptionId}
          pushId={push.pushId}
          t={t}
          lang={lang}
          timeZone={zones[shown[0]!.place.placeId] ?? 'UTC'}
        />
      )}
    </>
  );
}

/** Waiting and current tickets first, newest first; of the finished ones only the latest few. */
function visibleTickets(tickets: TicketView[]): TicketView[] {
  const newestFirst = [...tickets].sort((a, b) => b.timeline.bookedAt.localeCompare(a.timeline.bookedAt));
  const open = newestFirst.filter((ticket) => !ENDED_STATES.has(ticket.state));
  const ended = newestFirst.filter((ticket) => ENDED_STATES.has(ticket.state)).slice(0, open.length > 0 ? 1 : 2);
  return [...open, ...ended];
}
