/** The signed-in desk: the counter's state, "Call next", the tickets at the counter, the line, "Add a visitor". */
import { nameIn, type PageLang, type Translate } from '../shared/i18n.js';
import { ConnectionBadge, Notice } from '../shared/components.js';
import * as desk from './api.js';
import type { DeskSession, TicketView } from './api.js';
import { useState } from 'preact/hooks';
import { ApiError } from '../shared/api.js';
import { AddVisitor } from './AddVisitor.js';
import { CallNextDialog } from './CallNextDialog.js';
import { MoveDialog } from './MoveDialog.js';
import { StaffMarks } from './StaffMarks.js';
import { QueuesPanel } from './QueuesPanel.js';
import { Search } from './Search.js';
import { Stats } from './Stats.js';
import { ReachMark } from './ReachMark.js';
import { TicketActions } from './TicketActions.js';
import { TicketTable } from './TicketTable.js';
import type { DeskAction } from './transitions.js';
import { useDesk } from './use-desk.js';

interface Props {
  session: DeskSession;
  t: Translate;
  lang: PageLang;
  onSignOut(reason: string | null): void;
}

export function Desk({ session, t, lang, onSignOut }: Props) {
  const { counter, tickets, indicators, queueStates, setQueueStates, liveState, busy, notice, setNotice, run } = useDesk(
    session,
    t,
    onSignOut,
  );
  const roles = session.operator.roles;
  const counterName = nameIn(counter.names, lang, counter.name);
  const timeZone = counter.timeZone ?? session.counter.timeZone ?? 'UTC';
  const counterOf = (ticket: TicketView) => (ticket.endpoint ? nameIn(ticket.endpoint.names, lang, ticket.endpoint.name) : counterName);
  const mine = (tickets ?? [])
    .filter((ticket) => ticket.endpoint?.endpointId === counter.id && [200, 500].includes(ticket.state))
    .sort((a, b) => (b.timeline.calledAt ?? '').localeCompare(a.timeline.calledAt ?? ''));
  const waiting = (tickets ?? []).filter((ticket) => [0, 50, 100].includes(ticket.state)).sort(byPosition);
  const onHold = (tickets ?? []).filter((ticket) => ticket.state === 300 || ticket.state === 400);

  const act = (ticket: TicketView, action: DeskAction) => {
    const key = `${ticket.ticketId}:${action.kind === 'recall' ? 'recall' : action.to}`;
    void run(key, ticket.ticketId, async () => {
      if (action.kind === 'recall') return t('done.recall', { label: (await desk.recall(session, ticket.ticketId)).label });
      const moved = await desk.moveTo(session, ticket.ticketId, action.to);
      return t(`done.${action.to}`, { label: moved.label, counter: counterOf(moved) });
    });
  };
  // A called ticket still at the counter: the API refuses (409 ENDPOINT_BUSY) and the dialog asks what becomes of it.
  const [busyWith, setBusyWith] = useState<string | null>(null);
  const callNext = (previous?: desk.PreviousTicket) =>
    void run('next', null, async () => {
      setBusyWith(null);
      try {
        const called = await desk.callNext(session, previous);
        return t('next.called', { label: called.label, counter: counterOf(called) });
      } catch (error) {
        if (!(error instanceof ApiError && error.code === 'ENDPOINT_BUSY')) throw error;
        const label = (error.details as { label?: string } | undefined)?.label ?? '';
        setBusyWith(label);
        return t('busy.title', { label });
      }
    });
  const markPriority = (ticket: TicketView) =>
    void run(`${ticket.ticketId}:priority`, ticket.ticketId, async () => {
      const changed = await desk.setPriority(session, ticket.ticketId, !ticket.priority);
      return t(changed.priority ? 'priority.on' : 'priority.off', { label: changed.label });
    });
  const editNote = (ticket: TicketView) => {
    const note = window.prompt(t('note.prompt', { label: ticket.label }), ticket.note ?? '');
    if (note === null) return;
    void run(`${ticket.ticketId}:note`, ticket.ticketId, async () => {
      const changed = await desk.setNote(session, ticket.ticketId, note);
      return t(changed.note ? 'note.saved' : 'note.removed', { label: changed.label });
    });
  };
  // A waiting appointment holds a slot: the API refuses to move it, so the line offers no Move for it.
  const [moving, setMoving] = useState<TicketView | null>(null);
  const move = (ticket: TicketView, target: desk.TransferTarget, place: desk.TransferPlace) =>
    void run(`${ticket.ticketId}:move`, ticket.ticketId, async () => {
      setMoving(null);
      const moved = await desk.transfer(session, ticket.ticketId, target, place);
      const where = 'toEndpointId' in target ? counterName : moved.queue.name;
      return t(place === 'end' ? 'moved.end' : 'moved.keep', { label: moved.label, queue: where });
    });
  const toggle = () =>
    void run('open', null, async () => {
      const changed = await desk.setOpen(session, !counter.isOpen);
      return t(changed.isOpen ? 'counter.opened' : 'counter.closedDone');
    });

  return (
    <>
      <section class="card counter-bar" aria-label={counterName}>
        <div>
          <h1>{t('desk.signedIn', { operator: session.operator.name, counter: counterName })}</h1>
          <p class={`counter-state ${counter.isOpen ? 'open' : 'closed'}`} data-testid="counter-state">
            {t(counter.isOpen ? 'counter.open' : 'counter.closed')}
          </p>
        </div>
        <div class="actions">
          <ConnectionBadge state={liveState} t={t} />
          {roles.manageCounter && (
            <button type="button" class="button secondary" onClick={toggle} disabled={busy !== null} aria-busy={busy === 'open'}>
              {t(counter.isOpen ? 'counter.closeAction' : 'counter.openAction')}
            </button>
          )}
          <button type="button" class="link-button" onClick={() => onSignOut(null)}>
            {t('desk.signOut')}
          </button>
        </div>
      </section>
      <div aria-live="polite">
        {notice && (
          <Notice kind={notice.kind} t={t} onDismiss={() => setNotice(null)}>
            {notice.text}
          </Notice>
        )}
      </div>
      <div class="desk-grid">
        <section class="card current" aria-labelledby="current-title">
          <h2 id="current-title">{t('current.title')}</h2>
          {!counter.isOpen && <p class="muted">{t('counter.closedHint')}</p>}
          {roles.allowedStates.includes(200) && (
            <button
              type="button"
              class="button big"
              onClick={() => callNext()}
              disabled={busy !== null || !counter.isOpen}
              aria-busy={busy === 'next'}
            >
              {busy === 'next' ? t('next.calling') : t('next.call')}
            </button>
          )}
          {mine.length === 0 && <p class="muted">{t('current.none')}</p>}
          {mine.map((ticket) => (
            <div class="at-counter" key={ticket.ticketId} data-testid="at-counter">
              <p class="at-counter-label">{ticket.label}</p>
              <p>
                <strong>{t(`state.${ticket.state}`)}</strong> · {ticket.userData.name ?? t('ticket.noName')} ·{' '}
                {t('ticket.group', { count: ticket.groupSize })}
                {ticket.recallCount > 0 && <> · {t('current.recalls', { count: ticket.recallCount })}</>}
                {ticket.state === 200 && (
                  <>
                    {' · '}
                    <ReachMark session={session} ticketId={ticket.ticketId} calledAt={ticket.timeline.calledAt} t={t} />
                  </>
                )}
              </p>
              <StaffMarks ticket={ticket} t={t} />
              <TicketActions ticket={ticket} roles={roles} busy={busy} t={t} onAction={act} />
              <button type="button" class="link-button" onClick={() => editNote(ticket)}>
                {t('note.edit')}
              </button>
            </div>
          ))}
          {busyWith !== null && (
            <CallNextDialog label={busyWith} t={t} onChoose={(previous) => callNext(previous)} onClose={() => setBusyWith(null)} />
          )}
        </section>
        <Stats indicators={indicators} waiting={waiting} t={t} />
      </div>
      <QueuesPanel
        indicators={indicators}
        states={queueStates}
        canManage={roles.bookingClosedForTodayAllowed ?? roles.manageCounter}
        busy={busy}
        t={t}
        lang={lang}
        timeZone={timeZone}
        onToggle={(queueId, name, paused) =>
          void run(`pause:${queueId}`, null, async () => {
            const state = await desk.setBookingPaused(session, queueId, paused);
            setQueueStates((known) => ({ ...known, [queueId]: state }));
            return t(paused ? 'queues.paused' : 'queues.resumed', { queue: name });
          })
        }
      />
      <AddVisitor
        queues={(indicators?.queues ?? []).map(({ queueId, name }) => ({ queueId, name }))}
        busy={busy}
        t={t}
        onAdd={(queueId, name) =>
          void run('walk-in', null, async () => {
            const added = await desk.addVisitor(session, queueId, name);
            return t('walkIn.added', { label: added.ticket.label });
          })
        }
      />
      <section class="card" aria-labelledby="waiting-title">
        <h2 id="waiting-title">{t('waiting.title')}</h2>
        {tickets && waiting.length === 0 ? (
          <p class="muted">{t('waiting.none')}</p>
        ) : (
          <TicketTable
            tickets={waiting}
            roles={roles}
            busy={busy}
            t={t}
            lang={lang}
            timeZone={timeZone}
            onAction={act}
            onPriority={markPriority}
            onNote={editNote}
            onMove={setMoving}
            testId="waiting"
          />
        )}
        {moving && (
          <MoveDialog
            label={moving.label}
            queues={(indicators?.queues ?? [])
              .filter(({ queueId }) => queueId !== moving.queue.queueId)
              .map(({ queueId, name }) => ({ queueId, name }))}
            counterId={counter.id}
            t={t}
            onMove={(target, place) => move(moving, target, place)}
            onClose={() => setMoving(null)}
          />
        )}
      </section>
      <section class="card" aria-labelledby="onhold-title">
        <h2 id="onhold-title">{t('onhold.title')}</h2>
        {onHold.length === 0 ? (
          <p class="muted">{t('onhold.none')}</p>
        ) : (
          <TicketTable tickets={onHold} roles={roles} busy={busy} t={t} lang={lang} timeZone={timeZone} onAction={act} testId="onhold" />
        )}
      </section>
      <Search session={session} roles={roles} busy={busy} t={t} lang={lang} timeZone={timeZone} onAction={act} />
    </>
  );
}

/** The order the counter will call them: by tickets ahead, appointments by their time. */
function byPosition(a: TicketView, b: TicketView): number {
  const ahead = (ticket: TicketView) => ticket.ticketPosition?.endpoint.tickets ?? Number.MAX_SAFE_INTEGER;
  return ahead(a) - ahead(b) || a.timeline.bookedAt.localeCompare(b.timeline.bookedAt);
}
