/** The message log (DESIGN §4 "Visible"): what was sent, to whom, and every attempt. */
import { fail } from '../../contract/errors.js';
import { toIso, toIsoOrNull } from '../../platform/clock.js';
import type { QueueServiceDeps } from '../deps.js';
import type { Message, MessageAttempt } from '../db/schema.js';
import { findMessage, listAttemptsOfMessage, listMessages, type MessageFilter } from '../db/queries/messages.js';
import type { AdminCaller } from '../http/auth.js';

export const messageView = (message: Message) => ({
  id: message.id, companyId: message.company_id, ticketId: message.ticket_id, queueId: message.queue_id,
  channel: message.channel, destinationId: message.destination_id, recipient: message.recipient, action: message.action,
  ticketVersion: message.ticket_version, status: message.status, body: JSON.parse(message.body) as unknown,
  createdAt: toIso(message.created_at), deliverBy: toIso(message.deliver_by), nextAttemptAt: toIso(message.next_attempt_at),
  attemptCount: message.attempt_count, lastError: message.last_error, deliveredAt: toIsoOrNull(message.delivered_at),
});

export const attemptView = (attempt: MessageAttempt) => ({
  id: attempt.id, startedAt: toIso(attempt.started_at), durationMs: attempt.duration_ms, statusCode: attempt.status_code,
  outcome: attempt.outcome, responseExcerpt: attempt.response_excerpt, error: attempt.error,
});

export async function listMessagesFor(deps: QueueServiceDeps, caller: AdminCaller, filter: Omit<MessageFilter, 'companyId'> & { companyId?: string }) {
  const companyId = caller.kind === 'company' ? caller.companyId : filter.companyId;
  return (await listMessages(deps.database.db, { ...filter, companyId })).map(messageView);
}

export async function findMessageFor(deps: QueueServiceDeps, caller: AdminCaller, messageId: string): Promise<Message> {
  const message = await findMessage(deps.database.db, messageId);
  if (!message || (caller.kind === 'company' && message.company_id !== caller.companyId)) fail('MESSAGE_NOT_FOUND');
  return message;
}

export async function inspectMessage(deps: QueueServiceDeps, caller: AdminCaller, messageId: string) {
  const message = await findMessageFor(deps, caller, messageId);
  const attempts = await listAttemptsOfMessage(deps.database.db, message.id);
  return { ...messageView(message), attempts: attempts.map(attemptView) };
}
