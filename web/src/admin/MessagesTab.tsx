/** The message log: filter by ticket, status, destination and channel; newest first; open one to see its attempts. */
import { useEffect, useState } from 'preact/hooks';
import { describeError } from '../shared/errors.js';
import type { PageLang, Translate } from '../shared/i18n.js';
import { Field } from '../shared/components.js';
import { admin, deliveryHealth, type Message, type Webhook } from './api.js';
import { MessageDetail } from './MessageDetail.js';
import { NoticeView } from './NoticeView.js';
import { useAction } from './use-action.js';

const STATUSES = ['pending', 'delivering', 'delivered', 'failed', 'expired', 'superseded'];
const CHANNELS = ['webhook', 'sms', 'email'];
const PAGE = 50;

interface Filter {
  ticketId: string;
  status: string;
  destinationId: string;
  channel: string;
}
interface Props {
  token: string;
  companyId: string;
  t: Translate;
  lang: PageLang;
  initialFilter: { destinationId?: string };
}

export function MessagesTab({ token, companyId, t, lang, initialFilter }: Props) {
  const [filter, setFilter] = useState<Filter>({ ticketId: '', status: '', destinationId: initialFilter.destinationId ?? '', channel: '' });
  const [hooks, setHooks] = useState<Webhook[]>([]);
  const [messages, setMessages] = useState<Message[] | null>(null);
  const [more, setMore] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const { notice, setNotice } = useAction(t);

  const load = async (before?: string) => {
    try {
      const query = { companyId, limit: PAGE, before, ...Object.fromEntries(Object.entries(filter).map(([k, v]) => [k, v.trim()])) };
      const page = (await admin<{ messages: Message[] }>(token, 'GET', '/admin/messages', { query })).messages;
      setMessages((current) => (before ? [...(current ?? []), ...page] : page));
      setMore(page.length === PAGE);
    } catch (error) {
      setNotice({ kind: 'error', text: describeError(error, t) });
    }
  };

  useEffect(() => {
    void deliveryHealth(token, companyId).then(
      (health) => setHooks(health.destinations),
      () => {},
    );
    void load();
  }, [companyId]);

  const destination = (message: Message) =>
    message.channel === 'webhook'
      ? (hooks.find((hook) => hook.id === message.destinationId)?.url ?? message.recipient)
      : `${message.channel}: ${message.recipient}`;
  const set = (key: keyof Filter) => (e: Event) => setFilter({ ...filter, [key]: (e.currentTarget as HTMLInputElement).value });
  return (
    <>
      <NoticeView notice={notice} t={t} onDismiss={() => setNotice(null)} />
      <form
        class="card filters"
        onSubmit={(e) => {
          e.preventDefault();
          setOpen(null);
          void load();
        }}
        aria-label={t('messages.filters')}
      >
        <Field id="f-ticket" label={t('messages.ticket')}>
          <input id="f-ticket" value={filter.ticketId} onInput={set('ticketId')} placeholder="tkt_…" />
        </Field>
        <Field id="f-status" label={t('messages.status')}>
          <select id="f-status" value={filter.status} onChange={set('status')}>
            <option value="">{t('messages.any')}</option>
            {STATUSES.map((status) => (
              <option key={status} value={status}>
                {t(`status.${status}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field id="f-dest" label={t('messages.destination')}>
          <select id="f-dest" value={filter.destinationId} onChange={set('destinationId')}>
            <option value="">{t('messages.any')}</option>
            {hooks.map((hook) => (
              <option key={hook.id} value={hook.id}>
                {hook.description ?? hook.url}
              </option>
            ))}
          </select>
        </Field>
        <Field id="f-channel" label={t('messages.channel')}>
          <select id="f-channel" value={filter.channel} onChange={set('channel')}>
            <option value="">{t('messages.any')}</option>
            {CHANNELS.map((channel) => (
              <option key={channel} value={channel}>
                {channel}
              </option>
            ))}
          </select>
        </Field>
        <button type="submit" class="button">
          {t('messages.apply')}
        </button>
      </form>
      {open && (
        <MessageDetail
          key={open}
          token={token}
          messageId={open}
          t={t}
          lang={lang}
          onClose={() => setOpen(null)}
          onChanged={() => void load()}
        />
      )}
      <section class="card" aria-label={t('tab.messages')}>
        {messages?.length === 0 && <p>{t('messages.none')}</p>}
        {messages && messages.length > 0 && (
          <div class="table-scroll">
            <table class="stack" data-testid="messages">
              <thead>
                <tr>
                  <th scope="col">{t('messages.created')}</th>
                  <th scope="col">{t('messages.action')}</th>
                  <th scope="col">{t('messages.ticket')}</th>
                  <th scope="col">{t('messages.to')}</th>
                  <th scope="col">{t('messages.status')}</th>
                  <th scope="col">{t('messages.attempts')}</th>
                  <th scope="col">
                    <span class="visually-hidden">{t('messages.open')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {messages.map((message) => (
                  <tr key={message.id} class={open === message.id ? 'selected' : ''}>
                    <td data-label={t('messages.created')}>{new Date(message.createdAt).toLocaleTimeString(lang)}</td>
                    <td data-label={t('messages.action')}>{message.action}</td>
                    <td data-label={t('messages.ticket')}>
                      <code>{message.ticketId}</code>
                    </td>
                    <td data-label={t('messages.to')} class="wrap">
                      {destination(message)}
                    </td>
                    <td data-label={t('messages.status')}>
                      <span class={`status status-${message.status}`}>{t(`status.${message.status}`)}</span>
                      {message.lastError && <div class="muted small">{message.lastError}</div>}
                    </td>
                    <td data-label={t('messages.attempts')}>{message.attemptCount}</td>
                    <td>
                      <button
                        type="button"
                        class="button secondary"
                        onClick={() => setOpen(message.id)}
                        aria-label={`${t('messages.open')} ${message.action} ${message.id}`}
                      >
                        {t('messages.open')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {more && (
          <button type="button" class="button secondary" onClick={() => void load(messages?.at(-1)?.id)}>
            {t('messages.older')}
          </button>
        )}
      </section>
    </>
  );
}
