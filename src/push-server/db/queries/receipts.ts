/**
 * SQL on `receipts`, the outbox of what the push server reports to sources (docs/design.md
 * §Receipts). Claimed like push jobs: `status = 'sending'` with `available_at` = the lease's end, so
 * a receipt whose sender died is due again by itself.
 */
import { CompiledQuery, sql, type Insertable, type Selectable } from 'kysely';
import { engineOf } from '../../../platform/db/engine-of.js';
import type { PushDb } from '../connect.js';
import { sortableIdFloor } from './messages.js';
import type { ReceiptStatus, ReceiptTable } from '../schema.js';

export type ReceiptRow = Selectable<ReceiptTable>;

/** What a receipt needs of the message it reports on, for messages whose source wants receipts. */
export interface ReceiptSubject {
  messageId: string;
  appId: string;
  sourceId: string;
  webhookId: string;
  pushId: string;
  devices: number;
}

export async function findReceiptSubjects(db: PushDb, messageIds: readonly string[]): Promise<Map<string, ReceiptSubject>> {
  if (messageIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('messages as m')
    .innerJoin('sources as s', 's.id', 'm.source_id')
    .select(['m.id', 'm.app_id', 'm.source_id', 'm.webhook_id', 'm.push_id', 'm.push_count'])
    .where('m.id', 'in', [...new Set(messageIds)])
    .where('s.receipt_url', 'is not', null)
    .execute();
  return new Map(
    rows.map((row) => [
      row.id,
      {
        messageId: row.id,
        appId: row.app_id,
        sourceId: row.source_id!,
        webhookId: row.webhook_id,
        pushId: row.push_id,
        devices: row.push_count,
      },
    ]),
  );
}

/** Source ids among these that want receipts. */
export async function sourcesWithReceipts(db: PushDb, sourceIds: readonly string[]): Promise<Set<string>> {
  if (sourceIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('sources')
    .select('id')
    .where('id', 'in', [...new Set(sourceIds)])
    .where('receipt_url', 'is not', null)
    .execute();
  return new Set(rows.map((row) => row.id));
}

// 12 columns a row: 1,000 rows stay under SQLite's bound-parameter limit.
const INSERT_CHUNK = 1000;

/** A receipt reported twice (an outcome recorded again after a lost lease) keeps its first row. */
export async function insertReceipts(db: PushDb, rows: Insertable<ReceiptTable>[]): Promise<void> {
  for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
    await db
      .insertInto('receipts')
      .values(rows.slice(start, start + INSERT_CHUNK))
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }
}

export interface ReceiptTarget {
  url: string | null;
  sealedSecret: string | null;
}

export async function claimReceipts(db: PushDb, options: { now: number; limit: number; leaseMs: number }): Promise<ReceiptRow[]> {
  let due = db
    .selectFrom('receipts')
    .select('id')
    .where(sql<boolean>`status in ('pending', 'sending')`)
    .where('available_at', '<=', options.now)
    .orderBy('available_at')
    .limit(options.limit);
  if (engineOf(db) === 'postgres') due = due.forUpdate().skipLocked();
  return db
    .updateTable('receipts')
    .set({ status: 'sending', attempts: sql`attempts + 1`, available_at: options.now + options.leaseMs, updated_at: options.now })
    .where('id', 'in', due)
    .returningAll()
    .execute();
}

export async function findReceiptTarget(db: PushDb, sourceId: string): Promise<ReceiptTarget> {
  const row = await db.selectFrom('sources').select(['receipt_url', 'receipt_secret']).where('id', '=', sourceId).executeTakeFirst();
  return { url: row?.receipt_url ?? null, sealedSecret: row?.receipt_secret ?? null };
}

export interface ReceiptUpdate {
  id: string;
  /** The attempt the sender claimed: a fence against a receipt claimed again after its lease ran out. */
  attempts: number;
  status: ReceiptStatus;
  availableAt: number;
  lastError: string | null;
}

/** A batch of outcomes in one statement, fenced by the attempt claimed (see applyJobUpdates in push-jobs.ts). */
export async function applyReceiptUpdates(db: PushDb, updates: readonly ReceiptUpdate[], now: number): Promise<void> {
  if (updates.length === 0) return;
  const postgres = engineOf(db) === 'postgres';
  const params: unknown[] = [];
  const slot = (value: unknown, type?: string): string => {
    params.push(value);
    const placeholder = postgres ? `$${params.length}` : '?';
    return postgres && type ? `cast(${placeholder} as ${type})` : placeholder;
  };
  for (let start = 0; start < updates.length; start += 1000) {
    params.length = 0;
    const rows = updates
      .slice(start, start + 1000)
      .map(
        (u) => `(${slot(u.id)}, ${slot(u.attempts, 'integer')}, ${slot(u.status)}, ${slot(u.availableAt, 'bigint')}, ${slot(u.lastError)})`,
      );
    const text = `with v(id, attempts, status, available_at, last_error) as (values ${rows.join(', ')})
      update receipts set status = v.status, available_at = v.available_at, last_error = v.last_error, updated_at = ${slot(now, 'bigint')}
      from v where receipts.id = v.id and receipts.attempts = v.attempts and receipts.status = 'sending'`;
    await db.executeQuery(CompiledQuery.raw(text, [...params]));
  }
}

/** Receipts waiting, and when the oldest of them was written (for /metrics). */
export async function receiptsBacklog(db: PushDb): Promise<{ waiting: number; oldestCreatedAt: number | null }> {
  const row = await db
    .selectFrom('receipts')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('created_at').as('oldest')])
    .where(sql<boolean>`status in ('pending', 'sending')`)
    .executeTakeFirst();
  return { waiting: Number(row?.n ?? 0), oldestCreatedAt: row?.oldest == null ? null : Number(row.oldest) };
}

/**
 * A receipt's id is the id of the push or message it reports behind a prefix (receipts/emit.ts:
 * `rcp_psh_…`, `dvi_psh_…`, `rcp_msg_…`), and those ids start with their creation time: each kind
 * is a range of the primary key, so no index on times is needed to find old receipts.
 */
const RECEIPT_KINDS = [
  { prefix: 'rcp_', subject: 'psh' },
  { prefix: 'dvi_', subject: 'psh' },
  { prefix: 'rcp_', subject: 'msg' },
] as const;

/** Up to `limit` receipts sent or given up on, about pushes and messages created before `before`. */
export async function deleteFinishedReceiptsBefore(db: PushDb, before: number, limit: number): Promise<number> {
  let deleted = 0;
  for (const { prefix, subject } of RECEIPT_KINDS) {
    if (deleted >= limit) break;
    const result = await db
      .deleteFrom('receipts')
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('receipts')
          .select('id')
          .where('id', '>=', `${prefix}${subject}_`)
          .where('id', '<', `${prefix}${sortableIdFloor(subject, before)}`)
          .where(sql<boolean>`status not in ('pending', 'sending')`)
          .orderBy('id')
          .limit(limit - deleted),
      )
      .executeTakeFirst();
    deleted += Number(result.numDeletedRows);
  }
  return deleted;
}
