import { randomBytes } from 'node:crypto';

/**
 * Typed ids with readable prefixes (`tkt_…`, `msg_…`) keep logs legible. The random part is
 * 16 bytes of base64url unless told otherwise: unguessable, and free of "." (a webhook-id rule).
 */
export function newId(prefix: string, bytes = 16): string {
  return `${prefix}_${randomBytes(bytes).toString('base64url')}`;
}

let lastMs = 0;
let sequence = 0;

/**
 * Sortable by creation time: milliseconds, then a per-process sequence (so ids made in the same
 * millisecond keep their order), then randomness. Used for ids listed in time order.
 */
export function newSortableId(prefix: string, nowMs = Date.now()): string {
  if (nowMs > lastMs) {
    lastMs = nowMs;
    sequence = 0;
  }
  const head = Buffer.alloc(10);
  head.writeUIntBE(lastMs, 0, 6);
  head.writeUInt32BE(sequence++ >>> 0, 6);
  return `${prefix}_${head.toString('hex')}${randomBytes(8).toString('hex')}`;
}
