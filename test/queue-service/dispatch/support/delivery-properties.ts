/**
 * The delivery guarantees (docs/design.md §Delivery) checked from the outside, after the fact: the database says
 * what became of every message, the receiver says what arrived and when.
 */
import { expect } from 'vitest';
import type { QueueDb } from '../../../../src/queue-service/db/types.js';
import type { TestReceiver } from './receiver.js';

/** How long before a kill a receipt may be logged and still have been sent by the process killed. */
const KILL_SLACK_MS = 500;

export async function waitUntilSettled(db: QueueDb, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { active } = await db
      .selectFrom('messages')
      .select((eb) => eb.fn.countAll<number>().as('active'))
      .where('status', 'in', ['pending', 'delivering'])
      .executeTakeFirstOrThrow();
    if (Number(active) === 0) return;
    if (Date.now() > until) throw new Error(`${active} messages still pending or delivering after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export interface DeliveryReport {
  messages: number;
  byStatus: Record<string, number>;
  receipts: number;
  /** Ids received more than once, with their receipt times. */
  duplicates: { id: string; receivedAt: number[] }[];
}

/**
 * - every message ended delivered, superseded or expired, and every delivered one arrived;
 * - nothing arrived that is not a message;
 * - per ticket (one destination), the versions arrived in order;
 * - an id arrived twice only when a worker was killed between the two arrivals (`kills`: times).
 */
export async function checkDeliveryProperties(db: QueueDb, receiver: TestReceiver, kills: number[]): Promise<DeliveryReport> {
  const rows = await db
    .selectFrom('messages')
    .select(['id', 'ticket_id', 'ticket_version', 'status'])
    .where('channel', '=', 'webhook')
    .execute();
  const byId = new Map(rows.map((row) => [row.id, row]));
  const byStatus: Record<string, number> = {};
  for (const row of rows) byStatus[row.status] = (byStatus[row.status] ?? 0) + 1;
  expect(
    Object.keys(byStatus).filter((status) => !['delivered', 'superseded', 'expired'].includes(status)),
    JSON.stringify(byStatus),
  ).toEqual([]);

  const receipts = receiver.delivered();
  const arrived = new Map<string, number[]>();
  for (const receipt of receipts) arrived.set(receipt.id, [...(arrived.get(receipt.id) ?? []), receipt.receivedAt]);
  expect(
    [...arrived.keys()].filter((id) => !byId.has(id)),
    'receipts that are not messages',
  ).toEqual([]);
  expect(
    rows.filter((row) => row.status === 'delivered' && !arrived.has(row.id)).map((row) => row.id),
    'delivered but never received',
  ).toEqual([]);

  const lastVersion = new Map<string, number>();
  const outOfOrder: string[] = [];
  for (const receipt of receipts) {
    const message = byId.get(receipt.id)!;
    const last = lastVersion.get(message.ticket_id) ?? 0;
    if (message.ticket_version < last) outOfOrder.push(`${message.ticket_id}: v${message.ticket_version} after v${last}`);
    lastVersion.set(message.ticket_id, Math.max(last, message.ticket_version));
  }
  expect(outOfOrder, 'per-ticket order').toEqual([]);

  const duplicates = [...arrived].filter(([, times]) => times.length > 1).map(([id, receivedAt]) => ({ id, receivedAt }));
  const unexplained = duplicates.filter(({ receivedAt }) =>
    receivedAt.slice(1).some((at, i) => !kills.some((kill) => kill > receivedAt[i]! - KILL_SLACK_MS && kill < at)),
  );
  expect(unexplained, 'duplicates no kill explains').toEqual([]);
  return { messages: rows.length, byStatus, receipts: receipts.length, duplicates };
}
