/**
 * A ticket's timeline as a support person reads it (docs/design.md §Timeline): one line per change,
 * "Called 14:02:01.203 by Counter 1 → push server 14:02:01.211 → Apple accepted 14:02:01.219
 * (16 ms)", with a failed push, its reason and the SMS or e-mail that replaced it where that happened.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Translate } from '../shared/i18n.js';
import { admin, type Timeline, type TimelineChange } from './api.js';

const FOLLOW_MS = 1_500;

/** The decision as the API gives it since e-mail became a fallback: the channel it went by. */
type FallbackWithChannel = NonNullable<TimelineChange['messages'][number]['fallback']> & { channel?: 'sms' | 'email' | null };

const PROVIDERS: Record<string, string> = { apns: 'Apple', fcm: 'Google', webpush: 'Web Push' };

/** 14:02:01.203 in the browser's time zone: milliseconds matter here. */
function clock(iso: string): string {
  const date = new Date(iso);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

function who(change: TimelineChange, t: Translate): string {
  if (change.counter?.name) return t('timeline.byCounter', { counter: change.counter.name });
  if (change.by.kind === 'operator' && change.by.name) return t('timeline.byOperator', { name: change.by.name });
  return t(`timeline.by.${change.by.kind}`);
}

/** The steps after the change, each "what at when". */
function steps(change: TimelineChange, t: Translate): string[] {
  const out: string[] = [];
  for (const message of change.messages) {
    if (message.channel === 'webhook') {
      const accepted = message.attempts.find((a) => a.outcome === 'delivered');
      if (accepted) out.push(t('timeline.pushServer', { at: clock(accepted.startedAt) }));
      for (const receipt of message.receipts.filter((r) => r.type === 'push.receipt')) {
        const provider = receipt.provider ? (PROVIDERS[receipt.provider] ?? receipt.provider) : t('timeline.pushServerName');
        out.push(
          receipt.outcome === 'pushed'
            ? t('timeline.accepted', { provider, at: clock(receipt.at) })
            : t('timeline.notPushed', {
                provider,
                outcome: t(`outcome.${receipt.outcome}`),
                at: clock(receipt.at),
                reason: receipt.reason ?? '',
              }),
        );
      }
      const fallback = message.fallback as FallbackWithChannel | null;
      if (fallback?.decision === 'sent')
        out.push(
          t(fallback.channel === 'email' ? 'timeline.fallbackEmail' : 'timeline.fallback', {
            reason: t(`fallback.${fallback.reason}`),
            at: clock(fallback.decidedAt),
          }),
        );
    } else if (message.deliveredAt) {
      out.push(t('timeline.delivered', { channel: message.channel.toUpperCase(), at: clock(message.deliveredAt) }));
    } else if (message.status !== 'pending' && message.status !== 'delivering') {
      out.push(t('timeline.channelEnded', { channel: message.channel.toUpperCase(), status: t(`status.${message.status}`) }));
    }
  }
  return out;
}

export function TicketTimeline({ token, ticketId, t }: { token: string; ticketId: string; t: Translate }) {
  const [timeline, setTimeline] = useState<Timeline | null>(null);
  const load = async () => setTimeline(await admin<Timeline>(token, 'GET', `/admin/tickets/${ticketId}/timeline`));
  useEffect(() => void load().catch(() => {}), [ticketId]);
  // Receipts arrive after the change: follow while a change has not settled.
  useEffect(() => {
    if (!timeline || timeline.changes.every((c) => c.reach.reached !== null || c.messages.length === 0)) return;
    const timer = setTimeout(() => void load().catch(() => {}), FOLLOW_MS);
    return () => clearTimeout(timer);
  }, [timeline]);
  if (!timeline) return null;
  return (
    <section aria-labelledby="timeline-title" data-testid="timeline">
      <h3 id="timeline-title">{t('timeline.title', { label: timeline.label })}</h3>
      <ol class="timeline">
        {timeline.changes.map((change) => (
          <li key={change.version} data-testid="timeline-change" data-reached={String(change.reach.reached)}>
            {[
              `${change.action ? t(`action.${change.action}`, {}) : t('timeline.change')} ${clock(change.at)} ${who(change, t)}`,
              ...steps(change, t),
            ].join(' → ')}
            {change.reach.changeToReachedMs !== null && ` (${change.reach.changeToReachedMs} ms)`}
            {change.reach.reached === false && ` — ${t('timeline.notReached')}`}
          </li>
        ))}
      </ol>
    </section>
  );
}
