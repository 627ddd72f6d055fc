/** The message log (docs/design.md §Delivery): what was sent, to whom, every attempt, and replay. */
import { AppError, fail } from '../../contract/errors.js';
import { toIso, toIsoOrNull } from '../../platform/clock.js';
import { notifyChannel } from '../../platform/db/notify.js';
import type { QueueServiceDeps } from '../deps.js';
import type { Message, MessageAttempt, MessageStatus } from '../db/schema.js';
import {
  ENDED_STATUSES,
  findMessage,
  hasNewerInLane,
  listAttemptsOfMessage,
  listMessages,
  requeueEndedMessages,
  type MessageFilter,
} from '../db/queries/messages.js';
import { findWebhook } from '../db/queries/webhooks.js';
import type { AdminCaller } from '../http/auth.js';
import { OUTBOX_CHANNEL } from '../notifications/outbox.js';
import { REPLAY } from '../dispatch/policy.js';
import { timelineOfMessage } from './timeline.js';

const messageView = (message: Message) => ({
  id: message.id,
  companyId: message.company_id,
  ticketId: message.ticket_id,
  queueId: message.queue_id,
  channel: message.channel,
  destinationId: message.destination_id,
  recipient: message.recipient,
  action: message.action,
  ticketVersion: message.ticket_version,
  status: message.status,
  body: JSON.parse(message.body) as unknown,
  createdAt: toIso(message.created_at),
  deliverBy: toIso(message.deliver_by),
  nextAttemptAt: toIso(message.next_attempt_at),
  attemptCount: message.attempt_count,
  lastError: message.last_error,
  deliveredAt: toIsoOrNull(message.delivered_at),
  replayCount: message.replay_count,
  replayedAt: toIsoOrNull(message.replayed_at),
});

const attemptView = (attempt: MessageAttempt) => ({
  id: attempt.id,
  startedAt: toIso(attempt.started_at),
  durationMs: attempt.duration_ms,
  statusCode: attempt.status_code,
  outcome: attempt.outcome,
  responseExcerpt: attempt.response_excerpt,
  error: attempt.error,
});

type CallerFilter<F> = Omit<F, 'companyId'> & { companyId?: string };

/** A company admin key sees its own company only, whatever the filter says. */
function scoped<F extends { companyId?: string }>(caller: AdminCaller, filter: F): F {
  return caller.kind === 'company' ? { ...filter, companyId: caller.companyId } : filter;
}

export async function listMessagesFor(deps: QueueServiceDeps, caller: AdminCaller, filter: CallerFilter<MessageFilter>) {
  return (await listMessages(deps.database.db, scoped(caller, filter))).map(messageView);
}

async function findMessageFor(deps: QueueServiceDeps, caller: AdminCaller, messageId: string): Promise<Message> {
  const message = await findMessage(deps.database.db, messageId);
  if (!message || (caller.kind === 'company' && message.company_id !== caller.companyId)) fail('MESSAGE_NOT_FOUND');
  return message;
}

export async function inspectMessage(deps: QueueServiceDeps, caller: AdminCaller, messageId: string) {
  const message = await findMessageFor(deps, caller, messageId);
  const attempts = await listAttemptsOfMessage(deps.database.db, message.id);
  return { ...messageView(message), attempts: attempts.map(attemptView), ...(await timelineOfMessage(deps.database.db, message)) };
}

/**
 * Sends an ended message again, with the same id (receivers that have it drop it as a duplicate)
 * and a fresh deadline as long as its first one. Refused when it is still on its way, when a newer
 * message of its ticket went to the same place (it would show an older state), or when its
 * destination is gone or disabled.
 */
export async function replayMessage(deps: QueueServiceDeps, caller: AdminCaller, messageId: string) {
  const message = await findMessageFor(deps, caller, messageId);
  if (!ENDED_STATUSES.includes(message.status)) throw new AppError('MESSAGE_NOT_ENDED');
  if (await hasNewerInLane(deps.database.db, message)) throw new AppError('MESSAGE_NOT_LATEST');
  if (message.destination_id) {
    const destination = await findWebhook(deps.database.db, message.destination_id);
    if (destination?.enabled !== 1) throw new AppError('WEBHOOK_DISABLED');
  }
  const requeued = await requeueEndedMessages(deps.database.db, [message.id], deps.clock.now());
  if (requeued.length === 0) throw new AppError('CONFLICT', 'The message changed meanwhile; look at it again.');
  await wakeDispatchers(deps);
  return messageView((await findMessage(deps.database.db, message.id))!);
}

export interface ReplayRange extends Omit<MessageFilter, 'limit' | 'before' | 'status' | 'statuses'> {
  from: number;
  to: number;
  /** Which ended statuses to replay; failed and expired by default (what did not arrive). */
  statuses?: MessageStatus[];
}

/**
 * Replays the ended messages created in [from, to) that match the filter, at most REPLAY.maxPerCall;
 * those that are not the newest of their lane, or whose destination is disabled, are skipped.
 */
export async function replayRange(deps: QueueServiceDeps, caller: AdminCaller, range: CallerFilter<ReplayRange>) {
  const statuses = (range.statuses ?? ['failed', 'expired']).filter((s) => ENDED_STATUSES.includes(s));
  if (statuses.length === 0) throw new AppError('VALIDATION_FAILED', `Only ended messages can be replayed: ${ENDED_STATUSES.join(', ')}.`);
  if (range.to <= range.from) throw new AppError('VALIDATION_FAILED', '`to` must be after `from`.');
  const candidates = await listMessages(deps.database.db, scoped(caller, { ...range, statuses, limit: REPLAY.maxPerCall + 1 }));
  const selected = candidates.slice(0, REPLAY.maxPerCall).map((m) => m.id);
  const now = deps.clock.now();
  let replayed = 0;
  for (let start = 0; start < selected.length; start += 500) {
    replayed += (await requeueEndedMessages(deps.database.db, selected.slice(start, start + 500), now)).length;
  }
  if (replayed > 0) await wakeDispatchers(deps);
  return { matched: selected.length, replayed, skipped: selected.length - replayed, truncated: candidates.length > REPLAY.maxPerCall };
}

/** The in-process dispatcher through its signal, the others (PostgreSQL) through NOTIFY. */
async function wakeDispatchers(deps: QueueServiceDeps): Promise<void> {
  deps.outboxSignal.notify();
  await notifyChannel(deps.database.db, OUTBOX_CHANNEL);
}
