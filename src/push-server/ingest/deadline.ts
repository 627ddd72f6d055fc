/**
 * When a message stops being worth pushing (docs/design.md §The message). `x-queuebell-ttl-ms` is
 * judged on time elapsed since the signed `webhook-timestamp`, so a push server whose clock is
 * ahead or behind the sender's still keeps the deadline; `x-queuebell-deliver-by`, an absolute
 * time, is the fallback for senders that send only it. Either is refused beyond 24 hours. A
 * signed sender may sign both (`x-queuebell-deadline-signature`); a signature that does not match
 * them is refused, so a deadline changed on the way is caught.
 */
import { verifyDeadline } from '../../contract/deadline-signature.js';
import { AppError } from '../../contract/errors.js';
import { DELIVER_BY_HEADER, MAX_DELIVERY_HORIZON_MS, TIME_TO_LIVE_HEADER } from '../../contract/message.js';
import type { Headers, Sender } from './authenticate.js';

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const WHOLE_MS = /^-?\d{1,15}$/;
/** A sender that says nothing about timeliness gets an hour: long enough to ride out a short outage. */
const DEFAULT_TIME_TO_LIVE_MS = 3600_000;
/**
 * The most of `now − webhook-timestamp` counted as time spent on the way: a sender signs just before
 * it sends (the queue service gives up connecting after 5 s), so more is clock skew, not travel, and
 * a timestamp in our future counts as no time at all. Skew thus costs a deadline at most 5 s.
 */
const MAX_TRANSIT_MS = 5_000;

/** The deadline in epoch ms of this push server's clock. `signedAt` is the signed timestamp (null for a token sender). */
export function deadlineOf(headers: Headers, now: number, { signedAt, secrets }: Pick<Sender, 'signedAt' | 'secrets'>): number {
  if (signedAt !== null && verifyDeadline(secrets, headers) === 'invalid')
    throw new AppError('INVALID_SIGNATURE', 'The x-queuebell-deadline-signature does not match the deadline headers.');
  const deliverBy = deliverByOf(single(headers[DELIVER_BY_HEADER]));
  const ttl = timeToLiveOf(single(headers[TIME_TO_LIVE_HEADER]));
  if (ttl !== null) {
    if (ttl > MAX_DELIVERY_HORIZON_MS) throw new AppError('DEADLINE_TOO_FAR', undefined, { ttlMs: ttl });
    const elapsed = signedAt === null ? 0 : Math.min(Math.max(now - signedAt, 0), MAX_TRANSIT_MS);
    return now + ttl - elapsed;
  }
  if (deliverBy === null) return now + DEFAULT_TIME_TO_LIVE_MS;
  if (deliverBy - now > MAX_DELIVERY_HORIZON_MS) throw new AppError('DEADLINE_TOO_FAR', undefined, { aheadMs: deliverBy - now });
  return deliverBy;
}

function deliverByOf(value: string | undefined): number | null {
  if (value === undefined || value === '') return null;
  const ms = RFC3339.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw new AppError('INVALID_DELIVER_BY');
  return ms;
}

function timeToLiveOf(value: string | undefined): number | null {
  if (value === undefined || value === '') return null;
  if (!WHOLE_MS.test(value)) throw new AppError('INVALID_TTL');
  return Number(value);
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
