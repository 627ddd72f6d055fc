import { randomBytes } from 'node:crypto';

/**
 * Typed ids with readable prefixes (`tkt_…`, `msg_…`) keep logs legible. The random part is
 * 16 bytes of base64url unless told otherwise: unguessable, and free of "." (a webhook-id rule).
 */
export function newId(prefix: string, bytes = 16): string {
  return `${prefix}_${randomBytes(bytes).toString('base64url')}`;
}

/** Sortable by creation time: 6 bytes of milliseconds then randomness. Used for ids listed in time order. */
export function newSortableId(prefix: string, nowMs = Date.now()): string {
  const time = Buffer.alloc(6);
  time.writeUIntBE(nowMs, 0, 6);
  return `${prefix}_${time.toString('hex')}${randomBytes(10).toString('hex')}`;
}
