/**
 * Who sent this message? A signature source proves it with Standard Webhooks headers (any valid
 * secret of any of the app's sources, so rotation on either side keeps working, and a timestamp
 * within ±5 minutes so a captured request cannot be replayed later). A token source presents its
 * bearer token instead. Everything is checked before the body is even parsed.
 */
import { AppError } from '../../contract/errors.js';
import type { StaleTimestampDetails } from '../../contract/message.js';
import { DEFAULT_TOLERANCE_SECONDS, verifyWebhook } from '../../contract/standard-webhooks.js';
import { newId } from '../../platform/ids.js';
import { hashToken } from '../../platform/secrets.js';
import type { AppSources } from '../apps/source-cache.js';

export type Headers = Record<string, string | string[] | undefined>;

export interface Sender {
  sourceId: string;
  webhookId: string;
  /** The signed `webhook-timestamp` in epoch ms; null for a token sender. */
  signedAt: number | null;
  /** The secrets of the source whose signature matched (they also sign the deadline); empty for a token sender. */
  secrets: readonly string[];
}

const WEBHOOK_ID = /^[\x21-\x7e]{1,256}$/;

export function authenticateSender(sources: AppSources, headers: Headers, body: Buffer, nowMs: number): Sender {
  if (headers['webhook-signature'] !== undefined) return bySignature(sources, headers, body, nowMs);
  const token = bearerOf(headers.authorization);
  if (token !== null) return byToken(sources, headers, token);
  throw new AppError('MISSING_WEBHOOK_HEADERS');
}

/**
 * What can be checked without knowing the app: Standard Webhooks headers present with a timestamp
 * in the window, or a bearer token. The server-wide route runs it before it finds the app, so a
 * pushId no app holds is answered only to a request that could have been a sender's.
 */
export function checkSenderHeaders(headers: Headers, nowMs: number): void {
  if (headers['webhook-signature'] === undefined && bearerOf(headers.authorization) !== null) return;
  const result = verifyWebhook([], headers, Buffer.alloc(0), { nowSeconds: Math.floor(nowMs / 1000) });
  if (!result.ok && result.reason === 'missing_headers') throw new AppError('MISSING_WEBHOOK_HEADERS');
  if (!result.ok && result.reason === 'stale_timestamp') throw new AppError('STALE_TIMESTAMP', undefined, staleDetails(headers, nowMs));
}

function bySignature(sources: AppSources, headers: Headers, body: Buffer, nowMs: number): Sender {
  let failure: 'missing_headers' | 'stale_timestamp' | 'invalid_signature' = 'invalid_signature';
  for (const source of sources.signing) {
    const result = verifyWebhook(source.secrets, headers, body, { nowSeconds: Math.floor(nowMs / 1000) });
    if (result.ok)
      return {
        sourceId: source.sourceId,
        webhookId: checkedWebhookId(result.id),
        signedAt: result.timestamp * 1000,
        secrets: source.secrets,
      };
    failure = result.reason;
    if (failure !== 'invalid_signature') break;
  }
  if (failure === 'missing_headers') throw new AppError('MISSING_WEBHOOK_HEADERS');
  if (failure === 'stale_timestamp') throw new AppError('STALE_TIMESTAMP', undefined, staleDetails(headers, nowMs));
  throw new AppError('INVALID_SIGNATURE');
}

/** Token senders may still send a webhook-id to get deduplication; without one each post is new. */
function byToken(sources: AppSources, headers: Headers, token: string): Sender {
  const sourceId = sources.tokens.get(hashToken(token));
  if (!sourceId) throw new AppError('UNAUTHENTICATED', 'The source token is not valid for this app.');
  const given = single(headers['webhook-id']);
  return { sourceId, webhookId: given === undefined ? newId('auto') : checkedWebhookId(given), signedAt: null, secrets: [] };
}

/** How far apart the clocks are, so the sender can tell skew from a bad secret (docs/errors.md). */
function staleDetails(headers: Headers, nowMs: number): StaleTimestampDetails {
  return {
    offsetSeconds: Math.floor(nowMs / 1000) - Number(single(headers['webhook-timestamp'])),
    toleranceSeconds: DEFAULT_TOLERANCE_SECONDS,
  };
}

function checkedWebhookId(id: string): string {
  if (!WEBHOOK_ID.test(id)) throw new AppError('VALIDATION_FAILED', 'webhook-id must be 1 to 256 printable characters.');
  return id;
}

export function bearerOf(header: string | string[] | undefined): string | null {
  const value = single(header);
  const match = value ? /^Bearer\s+(\S+)$/i.exec(value) : null;
  return match ? match[1]! : null;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
