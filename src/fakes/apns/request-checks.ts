/**
 * The fake's checks of an APNs request, with Apple's reasons (push-providers.md §4.1): path,
 * method, topic, push type, priority, expiration, collapse id and payload. Null means acceptable.
 */
import type { IncomingHttpHeaders } from 'node:http2';

export interface Problem {
  status: number;
  reason: string;
}

const PUSH_TYPES = new Set([
  'alert',
  'background',
  'location',
  'voip',
  'complication',
  'fileprovider',
  'mdm',
  'liveactivity',
  'pushtotalk',
]);
const PAYLOAD_LIMIT = 4096;

export function checkHeaders(headers: IncomingHttpHeaders, topic: string): Problem | null {
  if (headers[':method'] !== 'POST') return { status: 405, reason: 'MethodNotAllowed' };
  if (!/^\/3\/device\/[0-9a-fA-F]{64,200}$/.test(String(headers[':path']))) {
    return /^\/3\/device\//.test(String(headers[':path'])) ? { status: 400, reason: 'BadDeviceToken' } : { status: 404, reason: 'BadPath' };
  }
  if (!headers['apns-topic']) return { status: 400, reason: 'MissingTopic' };
  if (headers['apns-topic'] !== topic) return { status: 400, reason: 'DeviceTokenNotForTopic' };
  if (headers['apns-push-type'] !== undefined && !PUSH_TYPES.has(String(headers['apns-push-type'])))
    return { status: 400, reason: 'InvalidPushType' };
  if (headers['apns-priority'] !== undefined && !['10', '5', '1'].includes(String(headers['apns-priority'])))
    return { status: 400, reason: 'BadPriority' };
  if (headers['apns-expiration'] !== undefined && !/^\d+$/.test(String(headers['apns-expiration'])))
    return { status: 400, reason: 'BadExpirationDate' };
  if (headers['apns-collapse-id'] !== undefined && Buffer.byteLength(String(headers['apns-collapse-id'])) > 64)
    return { status: 400, reason: 'BadCollapseId' };
  return null;
}

export function checkPayload(body: Buffer): { problem: Problem } | { payload: Record<string, unknown> } {
  if (body.length === 0) return { problem: { status: 400, reason: 'PayloadEmpty' } };
  if (body.length > PAYLOAD_LIMIT) return { problem: { status: 413, reason: 'PayloadTooLarge' } };
  try {
    const payload = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    if (typeof payload.aps !== 'object' || payload.aps === null) return { problem: { status: 400, reason: 'PayloadEmpty' } };
    return { payload };
  } catch {
    return { problem: { status: 400, reason: 'PayloadEmpty' } };
  }
}
