/**
 * FCM HTTP v1 answers → outcomes. FCM names the
 * problem in `error.details[].errorCode`; the HTTP status only backs it up. A device is removed on
 * UNREGISTERED, and on INVALID_ARGUMENT only when FCM says the registration token itself is bad.
 */
import type { H2Response } from '../http2-sessions.js';
import { parseRetryAfter } from '../../../platform/net/retry-after.js';
import type { PushOutcome } from '../provider.js';

interface FcmError {
  status: string;
  errorCode: string | null;
  message: string;
}

export function fcmOutcome(response: H2Response, now: number): PushOutcome {
  const { status } = response;
  if (status === 200) return delivered(status, response.body);
  const error = parseError(response.body);
  const reason = error.errorCode ?? error.status;
  const retryAfter = parseRetryAfter(response.headers['retry-after'], now) ?? undefined;
  switch (error.errorCode) {
    case 'UNREGISTERED':
      return { kind: 'token_gone', status, reason };
    case 'INVALID_ARGUMENT':
      return /registration token/i.test(error.message)
        ? { kind: 'token_gone', status, reason: `${reason}: ${error.message}` }
        : { kind: 'rejected', status, reason: `${reason}: ${error.message}` };
    case 'QUOTA_EXCEEDED':
      return { kind: 'retry_later', status, reason, cause: 'quota_exceeded', retryAfterMs: retryAfter };
    case 'UNAVAILABLE':
    case 'INTERNAL':
      return { kind: 'retry_later', status, reason, cause: 'provider_unavailable', retryAfterMs: retryAfter };
    case 'THIRD_PARTY_AUTH_ERROR':
      return { kind: 'credentials_broken', status, reason };
    case 'SENDER_ID_MISMATCH':
      // The token belongs to another Firebase project; with a wrong service account every token
      // would say so, so the device is kept and only this push is refused.
      return { kind: 'rejected', status, reason };
  }
  return outcomeByStatus(status, reason, retryAfter);
}

/** 401 is the access token itself: the provider renews it and retries once before calling it broken. */
export function isAccessTokenRefused(response: H2Response): boolean {
  return response.status === 401 && parseError(response.body).errorCode === null;
}

function outcomeByStatus(status: number, reason: string, retryAfter: number | undefined): PushOutcome {
  if (status === 401 || status === 403) return { kind: 'credentials_broken', status, reason };
  if (status === 429) return { kind: 'retry_later', status, reason, cause: 'quota_exceeded', retryAfterMs: retryAfter };
  if (status >= 500) return { kind: 'retry_later', status, reason, cause: 'provider_unavailable', retryAfterMs: retryAfter };
  return { kind: 'rejected', status, reason };
}

function parseError(body: string): FcmError {
  try {
    const parsed = JSON.parse(body) as {
      error?: { status?: string; message?: string; details?: { '@type'?: string; errorCode?: string }[] };
    };
    const detail = parsed.error?.details?.find((d) => d['@type']?.endsWith('google.firebase.fcm.v1.FcmError'));
    return { status: parsed.error?.status ?? 'UNKNOWN', errorCode: detail?.errorCode ?? null, message: parsed.error?.message ?? '' };
  } catch {
    return { status: 'UNKNOWN', errorCode: null, message: '' };
  }
}

/** FCM answers `{"name": "projects/<project>/messages/<id>"}`: the message's name is its id. */
function delivered(status: number, body: string): PushOutcome {
  try {
    const name = (JSON.parse(body) as { name?: unknown }).name;
    if (typeof name === 'string') return { kind: 'delivered', status, providerMessageId: name };
  } catch {}
  return { kind: 'delivered', status };
}
