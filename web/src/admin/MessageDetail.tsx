/**
 * One message: where it went, until when it was worth delivering, what was sent, and every attempt
 * with its answer. Replay sends it again with the same webhook-id; the panel follows the new
 * delivery until it ends.
 */
import { useEffect, useState } from 'preact/hooks';
import type { PageLang, Translate } from '../shared/i18n.js';
import { admin, type Attempt, type Message } from './api.js';
import { NoticeView } from './NoticeView.js';
import { TicketTimeline } from './TicketTimeline.js';
import { useAction } from './use-action.js';

const IN_FLIGHT = new Set(['pending', 'delivering']);
const FOLLOW_MS = 1_000;

interface Props {
  token: string;
  messageId: string;
  t: Translate;
  lang: PageLang;
  onClose(): void;
  onChanged(): void;
}

export function MessageDetail({ token, messageId, t, lang, onClose, onChanged }: Props) {
  const [message, setMessage] = useState<(Message & { attempts: Attempt[] }) | null>(null);
  const { busy, notice, setNotice, run } = useAction(t);
  const load = async () => setMessage(await admin<Message & { attempts: Attempt[] }>(token, 'GET', `/admin/messages/${messageId}`));

  useEffect(() => void load().catch(() => {}), [messageId]);
  // While it is on its way (after a replay, say), follow it until it ends.
  useEffect(() => {
    if (!message || !IN_FLIGHT.has(message.status)) return;
    const timer = setTimeout(() => void load().then(onChanged, () => {}), FOLLOW_MS);
    return () => clearTimeout(timer);
  }, [message]);

  if (!message)
    return (
      <section class="card">
        <p>{'…'}</p>
      </section>
    );
  const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString(lang) : '—');
  const replay = () =>
    void run('replay', async () => {
      await admin(token, 'POST', `/admin/messages/${message.id}/replay`);
      await load();
      onChanged();
      return t('message.replayed');
    });
  return (
    <section class="card detail" aria-labelledby="message-title" data-testid="message-detail">
      <div class="detail-head">
        <h2 id="message-title">{t('message.title', { id: message.id })}</h2>
        <button type="button" class="button secondary" onClick={onClose}>
          {t('message.close')}
        </button>
      </div>
      <NoticeView notice={notice} t={t} onDismiss={() => setNotice(null)} />
      <dl class="facts">
        <div>
          <dt>{t('messages.action')}</dt>
          <dd>{message.action}</dd>
        </div>
        <div>
          <dt>{t('messages.status')}</dt>
          <dd data-testid="message-status">{t(`status.${message.status}`)}</dd>
        </div>
        <div>
          <dt>{t('messages.to')}</dt>
          <dd class="wrap">
            {message.channel}: {message.recipient}
          </dd>
        </div>
        <div>
          <dt>{t('message.deliverBy')}</dt>
          <dd>{when(message.deliverBy)}</dd>
        </div>
        <div>
          <dt>{t('message.deliveredAt')}</dt>
          <dd>{when(message.deliveredAt)}</dd>
        </div>
        {message.replayCount > 0 && (
          <div>
            <dt>↻</dt>
            <dd>{t('message.replays', { count: message.replayCount, at: when(message.replayedAt) })}</dd>
          </div>
        )}
      </dl>
      <TicketTimeline token={token} ticketId={message.ticketId} t={t} />
      <h3>{t('message.attemptsTitle')}</h3>
      {message.attempts.length === 0 ? (
        <p class="muted">{t('message.noAttempts')}</p>
      ) : (
        <div class="table-scroll">
          <table data-testid="attempts">
            <thead>
              <tr>
                <th scope="col">{t('message.started')}</th>
                <th scope="col">{t('message.duration')}</th>
                <th scope="col">{t('message.statusCode')}</th>
                <th scope="col">{t('message.outcome')}</th>
                <th scope="col">{t('message.response')}</th>
              </tr>
            </thead>
            <tbody>
              {message.attempts.map((attempt) => (
                <tr key={attempt.id}>
                  <td>{when(attempt.startedAt)}</td>
                  <td>{attempt.durationMs} ms</td>
                  <td>{attempt.statusCode ?? '—'}</td>
                  <td>{attempt.outcome}</td>
                  <td class="wrap">
                    <code>{attempt.error ?? attempt.responseExcerpt ?? ''}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div class="actions">
        <button
          type="button"
          class="button"
          disabled={busy !== null || IN_FLIGHT.has(message.status)}
          aria-busy={busy === 'replay'}
          onClick={replay}
        >
          {t('message.replay')}
        </button>
      </div>
      <details>
        <summary>{t('message.body')}</summary>
        <pre class="body">{JSON.stringify(message.body, null, 2)}</pre>
      </details>
    </section>
  );
}
