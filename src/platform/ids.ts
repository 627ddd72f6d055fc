import { randomFillSync } from 'node:crypto';

/**
 * Random bytes drawn from a pool refilled 4 KiB at a time: ids are made several times per request,
 * and one call into the CSPRNG per id cost more than the id. The bytes are the same CSPRNG's.
 */
const POOL_SIZE = 4096;
const pool = Buffer.alloc(POOL_SIZE);
let poolOffset = POOL_SIZE;

function random(bytes: number): Buffer {
  if (poolOffset + bytes > POOL_SIZE) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  // A copy, so later refills never change an id already made.
  const out = Buffer.from(pool.subarray(poolOffset, poolOffset + bytes));
  poolOffset += bytes;
  return out;
}

/**
 * Typed ids with readable prefixes (`tkt_…`, `msg_…`) keep logs legible. The random part is
 * 16 bytes of base64url unless told otherwise: unguessable, and free of "." (a webhook-id rule).
 */
export function newId(prefix: string, bytes = 16): string {
  return `${prefix}_${random(bytes).toString('base64url')}`;
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
  return `${prefix}_${head.toString('hex')}${random(8).toString('hex')}`;
}
