/**
 * One transaction for a batch of ingested messages: dedupe on webhook-id, look up the devices of
 * every pushId, store the messages and one push job per device, and supersede waiting pushes about
 * the same ticket on the same device. A handful of statements whatever the batch size.
 */
import { newSortableId } from '../../platform/ids.js';
import { toJsonText } from '../../platform/json-text.js';
import type { PushDb } from '../db/connect.js';
import { listDevicesOfPushIds, type DeviceRow } from '../db/queries/devices.js';
import { findMessagesByWebhookIds, insertNewMessages, type MessageRow } from '../db/queries/messages.js';
import { findPushIdsOfApp } from '../db/queries/push-ids.js';
import { insertPushJobs, supersedeWaitingJobs, type PushJobRow } from '../db/queries/push-jobs.js';
import type { CompactTicket, MessageStatus } from '../db/schema.js';
import type { ClaimedPush } from '../push/local-dispatch.js';
import { emitIngestReceipts } from '../receipts/emit.js';

export interface IngestItem {
  appId: string;
  sourceId: string;
  webhookId: string;
  pushId: string;
  action: string;
  content: string;
  ticket: CompactTicket;
  deliverBy: number;
  /** The W3C trace context of the request that brought it (docs/design.md §Traces); null: not traced. */
  traceparent?: string | null;
}

export interface IngestResult {
  messageId: string;
  status: MessageStatus;
  pushes: number;
  duplicate: boolean;
}

type Target = DeviceRow;

/** Reserves room in this process's worker for pushes claimed as they are written (see push/local-dispatch.ts). */
export interface Claimer {
  leaseMs: number;
  /** The local worker's id, the owner of the leases it is handed. */
  workerId: string;
  reserve(count: number): number;
}

export interface FanOut {
  results: IngestResult[];
  jobs: number;
  claimed: ClaimedPush[];
  /** Receipts written for messages that will not be pushed (docs/design.md §Receipts). */
  receipts: number;
}

/** Stores one app's batch; the caller runs it inside a transaction. Results are in item order. */
export async function fanOutBatch(
  tx: PushDb,
  appId: string,
  items: IngestItem[],
  now: number,
  claimer: Claimer | null = null,
): Promise<FanOut> {
  const targets = groupByPushId(await listDevicesOfPushIds(tx, appId, unique(items.map((i) => i.pushId))));
  const known = await knownPushIds(
    tx,
    appId,
    items.filter((i) => !targets.has(i.pushId)).map((i) => i.pushId),
  );
  const rows = messageRows(appId, items, targets, known, now);
  const fresh = await insertNewMessages(tx, [...rows.values()]);
  const jobs = jobRows(items, rows, fresh, targets, now);
  const claimed = claimer ? claimAtWrite(jobs, claimer, rows, targets, now) : [];
  await supersedeWaitingJobs(
    tx,
    jobs.map((job) => ({ deviceId: job.device_id, collapseKey: job.collapse_key })),
    now,
  );
  await insertPushJobs(tx, jobs);
  const receipts = await emitIngestReceipts(
    tx,
    [...rows.values()].filter((row) => fresh.has(row.webhook_id)),
    now,
    new Map(items.map((item) => [item.webhookId, item.traceparent ?? null])),
  );
  const results = await resultsOf(tx, appId, items, rows, fresh);
  return { results, jobs: jobs.length, claimed, receipts };
}

/** Marks as many pending jobs as the local worker has room for as claimed by it: first attempt, leased. */
function claimAtWrite(
  jobs: PushJobRow[],
  claimer: Claimer,
  rows: Map<string, MessageRow>,
  targets: Map<string, Target[]>,
  now: number,
): ClaimedPush[] {
  const pending = jobs.filter((job) => job.status === 'pending');
  const room = claimer.reserve(pending.length);
  const messages = new Map([...rows.values()].map((row) => [row.id, row]));
  const devices = new Map([...targets.values()].flat().map((device) => [device.id, device]));
  return pending.slice(0, room).map((job) => {
    Object.assign(job, { status: 'sending', attempts: 1, available_at: now + claimer.leaseMs, lease_owner: claimer.workerId });
    return { job, device: devices.get(job.device_id)!, message: messages.get(job.message_id)! };
  });
}

function messageRows(appId: string, items: IngestItem[], targets: Map<string, Target[]>, known: Set<string>, now: number) {
  const rows = new Map<string, MessageRow>();
  for (const item of items) {
    if (rows.has(item.webhookId)) continue; // the same message twice in one batch: one row
    const devices = targets.get(item.pushId) ?? [];
    const status: MessageStatus =
      item.deliverBy <= now
        ? 'expired_on_arrival'
        : devices.length > 0
          ? 'accepted'
          : known.has(item.pushId)
            ? 'no_devices'
            : 'unknown_push_id';
    rows.set(item.webhookId, {
      id: newSortableId('msg', now),
      app_id: appId,
      source_id: item.sourceId,
      webhook_id: item.webhookId,
      push_id: item.pushId,
      action: item.action,
      content: item.content,
      ticket: toJsonText(item.ticket),
      deliver_by: item.deliverBy,
      received_at: now,
      status,
      push_count: status === 'accepted' ? devices.length : 0,
    });
  }
  return rows;
}

/** Jobs in batch order; when two new messages reach the same device about the same ticket, only the last one stays pending. */
function jobRows(items: IngestItem[], rows: Map<string, MessageRow>, fresh: Set<string>, targets: Map<string, Target[]>, now: number) {
  const jobs: PushJobRow[] = [];
  const latest = new Map<string, PushJobRow>();
  const done = new Set<string>();
  for (const item of items) {
    const row = rows.get(item.webhookId)!;
    if (!fresh.has(item.webhookId) || row.status !== 'accepted' || done.has(item.webhookId)) continue;
    done.add(item.webhookId);
    for (const device of targets.get(item.pushId) ?? []) {
      const job = newJob(row, device, item, now);
      const key = `${device.id} ${item.ticket.id}`;
      const earlier = latest.get(key);
      if (earlier) Object.assign(earlier, { status: 'superseded', finished_at: now });
      latest.set(key, job);
      jobs.push(job);
    }
  }
  return jobs;
}

function newJob(row: MessageRow, device: Target, item: IngestItem, now: number): PushJobRow {
  return {
    id: newSortableId('psh', now),
    app_id: row.app_id,
    message_id: row.id,
    push_id: row.push_id,
    device_id: device.id,
    provider: device.provider,
    collapse_key: item.ticket.id,
    status: 'pending',
    attempts: 0,
    available_at: now,
    lease_owner: null,
    deliver_by: row.deliver_by,
    created_at: now,
    updated_at: now,
    finished_at: null,
    last_status: null,
    last_reason: null,
    traceparent: item.traceparent ?? null,
  };
}

async function resultsOf(
  tx: PushDb,
  appId: string,
  items: IngestItem[],
  rows: Map<string, MessageRow>,
  fresh: Set<string>,
): Promise<IngestResult[]> {
  const stored = new Map(
    (
      await findMessagesByWebhookIds(
        tx,
        appId,
        items.filter((i) => !fresh.has(i.webhookId)).map((i) => i.webhookId),
      )
    ).map((m) => [m.webhook_id, m]),
  );
  const seen = new Set<string>();
  return items.map((item) => {
    const first = fresh.has(item.webhookId) && !seen.has(item.webhookId);
    seen.add(item.webhookId);
    const row = first ? rows.get(item.webhookId)! : (stored.get(item.webhookId) ?? rows.get(item.webhookId)!);
    return { messageId: row.id, status: row.status, pushes: row.push_count, duplicate: !first };
  });
}

async function knownPushIds(tx: PushDb, appId: string, pushIds: string[]): Promise<Set<string>> {
  return new Set((await findPushIdsOfApp(tx, appId, unique(pushIds))).map((row) => row.push_id));
}

function groupByPushId(targets: Target[]): Map<string, Target[]> {
  const map = new Map<string, Target[]>();
  for (const target of targets) {
    const group = map.get(target.push_id);
    if (group) group.push(target);
    else map.set(target.push_id, [target]);
  }
  return map;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
