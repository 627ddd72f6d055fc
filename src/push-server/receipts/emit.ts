/**
 * Receipts written where outcomes are recorded (docs/design.md §Receipts): in the same transaction
 * as a push job's final state, or as an ingested message that will not be pushed, so a receipt is
 * never lost and never reports what did not happen. Only messages whose source has a receipt URL
 * get receipts. Receipt ids derive from what they report (`rcp_<push job>`, `rcp_<message>`,
 * `dvi_<push job>`): an outcome recorded twice writes one receipt, and the receiver dedupes on it.
 */
import type { ReceiptOutcome, ReceiptEvent } from '../../contract/receipts.js';
import { toIso } from '../../platform/clock.js';
import type { PushDb } from '../db/connect.js';
import type { MessageRow } from '../db/queries/messages.js';
import type { PushJobRow } from '../db/queries/push-jobs.js';
import { findReceiptSubjects, insertReceipts, sourcesWithReceipts, type ReceiptSubject } from '../db/queries/receipts.js';
import type { MessageStatus, PushJobStatus, ReceiptTable } from '../db/schema.js';

/** A push job's outcome as the record stage has it (push/record.ts). */
export interface FinishedPush {
  job: PushJobRow;
  /** The job's outcome (push/job-outcome.ts), as far as a receipt reads it. */
  outcome: { kind: string; reason?: string; providerMessageId?: string };
  /** When the provider answered (or the worker decided). */
  answeredAt: number;
  /** The provider request's span, which the receipt's POST continues (docs/design.md §Traces). */
  traceparent?: string | null;
}

const OUTCOME_OF_JOB: Partial<Record<PushJobStatus, ReceiptOutcome>> = {
  delivered: 'pushed',
  token_gone: 'token_invalid',
  rejected: 'failed',
  failed: 'failed',
  canceled: 'failed',
  expired: 'expired',
};

const OUTCOME_OF_MESSAGE: Partial<Record<MessageStatus, ReceiptOutcome>> = {
  no_devices: 'no_devices',
  unknown_push_id: 'unknown_push_id',
  expired_on_arrival: 'expired',
};

/**
 * Receipts of final push outcomes (a retry writes none), `statuses[i]` being the state the record
 * stage gave `finished[i]`; returns how many were written.
 */
export async function emitPushReceipts(
  tx: PushDb,
  finished: readonly FinishedPush[],
  statuses: readonly { status: PushJobStatus }[],
  now: number,
): Promise<number> {
  const final = finished.map((f, i) => ({ ...f, status: statuses[i]!.status })).filter((r) => OUTCOME_OF_JOB[r.status] !== undefined);
  if (final.length === 0) return 0;
  const subjects = await findReceiptSubjects(
    tx,
    final.map((r) => r.job.message_id),
  );
  const rows: ReceiptTable[] = [];
  for (const r of final) {
    const subject = subjects.get(r.job.message_id);
    if (!subject) continue;
    const outcome = OUTCOME_OF_JOB[r.status]!;
    const at = toIso(r.answeredAt);
    const reason = r.outcome.reason ?? null;
    rows.push(
      row(`rcp_${r.job.id}`, subject, now, r.traceparent ?? r.job.traceparent, {
        type: 'push.receipt',
        webhookId: subject.webhookId,
        pushId: subject.pushId,
        outcome,
        deviceId: r.job.device_id,
        provider: r.job.provider,
        providerMessageId: outcome === 'pushed' ? (r.outcome.providerMessageId ?? null) : null,
        reason: outcome === 'pushed' ? null : reason,
        devices: subject.devices,
        at,
      }),
    );
    if (outcome === 'token_invalid') {
      rows.push(
        row(`dvi_${r.job.id}`, subject, now, r.traceparent ?? r.job.traceparent, {
          type: 'device.invalidated',
          webhookId: subject.webhookId,
          pushId: subject.pushId,
          deviceId: r.job.device_id,
          provider: r.job.provider,
          reason,
          at,
        }),
      );
    }
  }
  await insertReceipts(tx, rows);
  return rows.length;
}

/** Receipts of fresh messages that will not be pushed at all: no devices, unknown pushId, expired on arrival. */
export async function emitIngestReceipts(
  tx: PushDb,
  messages: readonly MessageRow[],
  now: number,
  traceparents: ReadonlyMap<string, string | null>,
): Promise<number> {
  const unpushed = messages.filter((m) => OUTCOME_OF_MESSAGE[m.status] !== undefined && m.source_id !== null);
  if (unpushed.length === 0) return 0;
  const wanted = await sourcesWithReceipts(
    tx,
    unpushed.map((m) => m.source_id!),
  );
  const rows = unpushed
    .filter((m) => wanted.has(m.source_id!))
    .map((m) =>
      row(`rcp_${m.id}`, subjectOf(m), now, traceparents.get(m.webhook_id) ?? null, {
        type: 'push.receipt',
        webhookId: m.webhook_id,
        pushId: m.push_id,
        outcome: OUTCOME_OF_MESSAGE[m.status]!,
        deviceId: null,
        provider: null,
        providerMessageId: null,
        reason: null,
        devices: 0,
        at: toIso(m.received_at),
      }),
    );
  await insertReceipts(tx, rows);
  return rows.length;
}

function subjectOf(m: MessageRow): ReceiptSubject {
  return { messageId: m.id, appId: m.app_id, sourceId: m.source_id!, webhookId: m.webhook_id, pushId: m.push_id, devices: 0 };
}

function row(id: string, subject: ReceiptSubject, now: number, traceparent: string | null, event: ReceiptEvent): ReceiptTable {
  return {
    id,
    app_id: subject.appId,
    source_id: subject.sourceId,
    type: event.type,
    webhook_id: subject.webhookId,
    body: JSON.stringify(event),
    status: 'pending',
    attempts: 0,
    available_at: now,
    created_at: now,
    updated_at: now,
    last_error: null,
    traceparent,
  };
}
