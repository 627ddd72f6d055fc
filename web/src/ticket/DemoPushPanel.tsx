/**
 * The demo's window on step ④: what the fake Web Push service received for this browser's
 * subscription, decrypted, as it arrives; each one is also shown as a system notification by the
 * service worker. See demo-push.ts for why the demo needs this.
 */
import { useEffect, useState } from 'preact/hooks';
import type { PageLang, Translate } from '../shared/i18n.js';
import { timeAt } from '../shared/time.js';
import { openLive, type LiveState } from '../shared/live.js';
import { ConnectionBadge } from '../shared/components.js';
import { demoPushesUrl, showThroughServiceWorker, type DemoPush } from './demo-push.js';

interface Props {
  bridgeUrl: string;
  subscriptionId: string;
  pushId: string;
  t: Translate;
  lang: PageLang;
  /** The place's, as every time on the page. */
  timeZone: string;
}

export function DemoPushPanel({ bridgeUrl, subscriptionId, pushId, t, lang, timeZone }: Props) {
  const [pushes, setPushes] = useState<(DemoPush & { shown: boolean })[]>([]);
  const [state, setState] = useState<LiveState>('connecting');

  useEffect(() => {
    const seen = new Set<number>();
    const live = openLive({
      url: demoPushesUrl(bridgeUrl, subscriptionId),
      onState: setState,
      onEvent: (event) => {
        const push = JSON.parse(event.data) as DemoPush & { seq: number; replayed: boolean };
        if (seen.has(push.seq)) return;
        seen.add(push.seq);
        // Pushes from before this page load are listed, not notified again.
        void (push.replayed ? Promise.resolve(false) : showThroughServiceWorker(push)).then((shown) => {
          setPushes((list) => [{ ...push, shown }, ...list].slice(0, 10));
        });
      },
    });
    return () => live.close();
  }, [bridgeUrl, subscriptionId]);

  return (
    <section class="card demo" aria-labelledby="demo-title" data-testid="demo-push">
      <div class="demo-head">
        <h2 id="demo-title">{t('demo.title')}</h2>
        <ConnectionBadge state={state} t={t} testId="demo-connection" />
      </div>
      <p class="demo-steps">{t('demo.steps', { pushId })}</p>
      <details>
        <summary>{t('demo.why')}</summary>
        <p>{t('demo.explain')}</p>
      </details>
      {pushes.length === 0 && <p>{t('demo.none')}</p>}
      <ol class="demo-pushes" reversed>
        {pushes.map((push) => (
          <li key={push.receivedAt}>
            <p class="muted">{t('demo.received', { time: timeAt(push.receivedAt, lang, timeZone, true) })}</p>
            <DecryptedPayload text={push.payload} />
            <p class="muted">{push.shown ? t('demo.shown') : t('demo.notShown')}</p>
          </li>
        ))}
      </ol>
    </section>
  );
}

function DecryptedPayload({ text }: { text: string }) {
  let body = text;
  let title = '';
  try {
    const parsed = JSON.parse(text) as { title?: string; body?: string };
    title = parsed.title ?? '';
    body = parsed.body ?? text;
  } catch {
    // Not JSON: show the raw text.
  }
  return (
    <blockquote class="demo-payload" data-testid="demo-payload">
      {title && <strong>{title}</strong>} {body}
    </blockquote>
  );
}
