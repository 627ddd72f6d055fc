/**
 * The small "reached / not reached" mark of a called ticket (docs/design.md §Timeline): asks the
 * counter's reach route until the call has reached the person, by push or by SMS, or every way
 * has ended without.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Translate } from '../shared/i18n.js';
import { getCallReach, type CallReach, type DeskSession } from './api.js';

const FOLLOW_MS = 1_000;

export function ReachMark({
  session,
  ticketId,
  calledAt,
  t,
}: {
  session: DeskSession;
  ticketId: string;
  calledAt: string | null;
  t: Translate;
}) {
  const [reach, setReach] = useState<CallReach | null>(null);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const look = async () => {
      const answer = await getCallReach(session, ticketId).catch(() => null);
      if (stopped) return;
      if (answer) setReach(answer);
      if (!answer || answer.reached === null) timer = setTimeout(() => void look(), FOLLOW_MS);
    };
    void look();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [ticketId, calledAt]);
  const state = reach?.reached === true ? 'reached' : reach?.reached === false ? 'not-reached' : 'pending';
  return (
    <span class={`reach reach-${state}`} data-testid="reach-mark" data-reach={state}>
      {state === 'reached'
        ? t('reach.reached', { channel: reach?.channel === 'sms' ? 'SMS' : reach?.channel === 'email' ? 'e-mail' : 'push' })
        : t(`reach.${state}`)}
    </span>
  );
}
