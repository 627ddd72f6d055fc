/**
 * The deadline a sender attaches beside the Standard Webhooks headers (`x-queuebell-ttl-ms`,
 * `x-queuebell-deliver-by`) is signed too, in a header of its own, so the standard signature and
 * every standard verifier stay as they are (docs/design.md §The message).
 */
import { DEADLINE_SIGNATURE_HEADER, DELIVER_BY_HEADER, TIME_TO_LIVE_HEADER } from './message.js';
import { anyEntryMatches, signContent } from './standard-webhooks.js';

type Headers = Record<string, string | string[] | undefined>;

function signedText(id: string, timestamp: number | string, ttl: string, deliverBy: string): string {
  return `${id}.${timestamp}.${ttl}.${deliverBy}`;
}

/** One `v1,` entry per secret over the id, the timestamp and both deadline headers. */
export function signDeadline(secrets: readonly string[], id: string, timestamp: number, ttl: string, deliverBy: string): string {
  return secrets.map((secret) => signContent(secret, signedText(id, timestamp, ttl, deliverBy))).join(' ');
}

/**
 * 'absent' when the request carries no deadline signature; otherwise whether it matches the id,
 * timestamp and deadline headers as received under any of `secrets`.
 */
export function verifyDeadline(secrets: readonly string[], headers: Headers): 'absent' | 'valid' | 'invalid' {
  const signature = single(headers[DEADLINE_SIGNATURE_HEADER]);
  if (signature === undefined) return 'absent';
  const text = signedText(
    single(headers['webhook-id']) ?? '',
    single(headers['webhook-timestamp']) ?? '',
    single(headers[TIME_TO_LIVE_HEADER]) ?? '',
    single(headers[DELIVER_BY_HEADER]) ?? '',
  );
  return secrets.some((secret) => anyEntryMatches(signature, signContent(secret, text))) ? 'valid' : 'invalid';
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
