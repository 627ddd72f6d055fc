/**
 * One timeline per ticket, and per message (docs/design.md §Timeline): each change with who made it
 * (operator, user, scheduler) and at which counter, its messages as committed, every attempt to
 * deliver them, every receipt the push server sent back, every fallback decision, and whether, when
 * and by which channel the change reached the person — with the time from the change to the
 * provider accepting the push.
 */
import { fail } from '../../contract/errors.js';
import { toIso, toIsoOrNull } from '../../platform/clock.js';
import { parseJsonText } from '../../platform/json-text.js';
import type { QueueServiceDeps } from '../deps.js';
import type { FallbackDecision, Message, MessageAttempt, MessageReceipt } from '../db/schema.js';
import type { QueueDb } from '../db/types.js';
import { listEndpointsOfCompany } from '../db/queries/endpoints.js';
import { listDecisionsOfMessages } from '../db/queries/fallback-decisions.js';
import { listAttemptsOfMessages } from '../db/queries/message-attempts.js';
import { listReceiptsOfMessages } from '../db/queries/message-receipts.js';
import { listMessagesOfTicket } from '../db/queries/messages.js';
import { listOperatorsForCompany } from '../db/queries/operators.js';
import { listEventsOfTicket } from '../db/queries/ticket-event-feed.js';
import { findTicketForCompany, findTicket } from '../db/queries/tickets.js';
import type { AdminCaller } from '../http/auth.js';
import { reachOf } from '../receipts/reach.js';

export type ActorKind = 'operator' | 'user' | 'scheduler' | 'key' | 'server';

/** How an actor string (`operator:opr_…`, `user:usr_…`, `system:onhold-timeout`, `key:…`, `server`) reads. */
function actorOf(actor: string, operators: Map<string, string>): { kind: ActorKind; id: string | null; name: string | null } {
  const [kind, id = null] = actor.split(':', 2) as [string, string | undefined];
  if (kind === 'operator') return { kind: 'operator', id, name: (id && operators.get(id)) ?? null };
  if (kind === 'user') return { kind: 'user', id, name: null };
  if (kind === 'system') return { kind: 'scheduler', id, name: id };
  if (kind === 'key') return { kind: 'key', id, name: null };
  return { kind: 'server', id: null, name: null };
}

const attemptView = (a: MessageAttempt) => ({
  startedAt: toIso(a.started_at),
  durationMs: a.duration_ms,
  statusCode: a.status_code,
  outcome: a.outcome,
  error: a.error,
});

const receiptView = (r: MessageReceipt) => ({
  id: r.id,
  type: r.type,
  outcome: r.outcome,
  deviceId: r.device_id,
  provider: r.provider,
  providerMessageId: r.provider_message_id,
  reason: r.reason,
  at: toIso(r.occurred_at),
  receivedAt: toIso(r.received_at),
});

const fallbackView = (d: FallbackDecision) => ({
  decision: d.decision,
  reason: d.reason,
  channel: d.channel,
  decidedAt: toIso(d.decided_at),
  fallbackMessageId: d.fallback_message_id,
  /** The former name, kept for readers of the SMS-only fallback: the message whatever its channel. */
  smsMessageId: d.fallback_message_id,
  skipped: d.channel_skips ? parseJsonText(d.channel_skips) : [],
});

interface Facts {
  attempts: Map<string, MessageAttempt[]>;
  receipts: Map<string, MessageReceipt[]>;
  decisions: Map<string, FallbackDecision>;
}

function messageEntry(m: Message, facts: Facts) {
  const decision = facts.decisions.get(m.id);
  return {
    id: m.id,
    channel: m.channel,
    destinationId: m.destination_id,
    recipient: m.recipient,
    action: m.action,
    status: m.status,
    committedAt: toIso(m.created_at),
    deliverBy: toIso(m.deliver_by),
    deliveredAt: toIsoOrNull(m.delivered_at),
    lastError: m.last_error,
    attempts: (facts.attempts.get(m.id) ?? []).map(attemptView),
    receipts: (facts.receipts.get(m.id) ?? []).map(receiptView),
    fallback: decision ? fallbackView(decision) : null,
  };
}

function group<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const list = map.get(key(row));
    if (list) list.push(row);
    else map.set(key(row), [row]);
  }
  return map;
}

async function buildTimeline(db: QueueDb, ticket: { id: string; company_id: string; label: string; state: number }) {
  const [events, messages, operators, endpoints] = await Promise.all([
    listEventsOfTicket(db, ticket.id),
    listMessagesOfTicket(db, ticket.company_id, ticket.id),
    listOperatorsForCompany(db, ticket.company_id),
    listEndpointsOfCompany(db, ticket.company_id),
  ]);
  const ids = messages.map((m) => m.id);
  const [attempts, receipts, decisions] = await Promise.all([
    listAttemptsOfMessages(db, ids),
    listReceiptsOfMessages(db, ids),
    listDecisionsOfMessages(db, ids),
  ]);
  const facts: Facts = {
    attempts: group(attempts, (a) => a.message_id),
    receipts: group(receipts, (r) => r.message_id),
    decisions: new Map(decisions.map((d) => [d.message_id, d])),
  };
  const operatorNames = new Map(operators.map((o) => [o.id, o.name]));
  const counterNames = new Map(endpoints.map((e) => [e.id, e.name]));
  const byVersion = group(messages, (m) => String(m.ticket_version));
  const changes = events.map((event) => {
    const own = byVersion.get(String(event.version)) ?? [];
    return {
      version: event.version,
      at: toIso(event.at),
      action: event.action,
      kind: event.kind ?? null,
      fromState: event.from_state,
      toState: event.to_state,
      by: actorOf(event.actor, operatorNames),
      counter: event.endpoint_id ? { id: event.endpoint_id, name: counterNames.get(event.endpoint_id) ?? null } : null,
      messages: own.map((m) => messageEntry(m, facts)),
      reach: reachOf(event.at, own, facts.receipts),
    };
  });
  return { ticketId: ticket.id, label: ticket.label, state: ticket.state, changes };
}

export async function ticketTimeline(deps: QueueServiceDeps, caller: AdminCaller, ticketId: string) {
  const db = deps.database.db;
  const ticket = caller.kind === 'company' ? await findTicketForCompany(db, caller.companyId, ticketId) : await findTicket(db, ticketId);
  if (!ticket) fail('TICKET_NOT_FOUND');
  return buildTimeline(db, ticket);
}

/** The change a message carries, with everything that happened to it (GET /admin/messages/{id}). */
export async function timelineOfMessage(db: QueueDb, message: Message) {
  const ticket = await findTicket(db, message.ticket_id);
  if (!ticket) return { change: null, receipts: [], fallback: null, reach: null };
  const timeline = await buildTimeline(db, ticket);
  const change = timeline.changes.find((c) => c.version === message.ticket_version) ?? null;
  const own = change?.messages.find((m) => m.id === message.id);
  return {
    change: change
      ? { version: change.version, at: change.at, action: change.action, toState: change.toState, by: change.by, counter: change.counter }
      : null,
    receipts: own?.receipts ?? [],
    fallback: own?.fallback ?? null,
    reach: change?.reach ?? null,
  };
}
