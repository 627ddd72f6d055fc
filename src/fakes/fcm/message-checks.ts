/**
 * The fake's checks of an FCM v1 `messages:send` body, the way FCM refuses with INVALID_ARGUMENT:
 * exactly one target, `data` values strings only, a valid android block, 4096 bytes at most of
 * notification plus data.
 */
const PAYLOAD_LIMIT = 4096;

export function checkMessage(body: unknown): { problem: string } | { message: Record<string, unknown>; token: string } {
  const message = (body as { message?: unknown } | null)?.message as Record<string, unknown> | undefined;
  if (!message || typeof message !== 'object') return { problem: 'Invalid JSON payload received. Unknown name or missing "message".' };
  const targets = ['token', 'topic', 'condition'].filter((key) => message[key] !== undefined);
  if (targets.length !== 1) return { problem: 'Exactly one of token, topic or condition must be set.' };
  if (typeof message.token !== 'string') return { problem: 'Only token targets are supported by this fake.' };
  const data = (message.data ?? {}) as Record<string, unknown>;
  if (Object.values(data).some((value) => typeof value !== 'string'))
    return { problem: "Invalid value at 'message.data': values must be strings." };
  const androidProblem = checkAndroid(message.android as Record<string, unknown> | undefined);
  if (androidProblem) return { problem: androidProblem };
  if (Buffer.byteLength(JSON.stringify({ notification: message.notification ?? {}, data })) > PAYLOAD_LIMIT)
    return { problem: 'Message is too big.' };
  return { message, token: message.token };
}

function checkAndroid(android: Record<string, unknown> | undefined): string | null {
  if (android === undefined) return null;
  if (android.priority !== undefined && !['NORMAL', 'HIGH'].includes(String(android.priority)))
    return "Invalid value at 'message.android.priority'.";
  if (android.ttl !== undefined && !/^\d+(\.\d{1,9})?s$/.test(String(android.ttl)))
    return "Invalid value at 'message.android.ttl' (Duration).";
  if (android.ttl !== undefined && Number.parseFloat(String(android.ttl)) > 2_419_200) return 'message.android.ttl is longer than 4 weeks.';
  return null;
}
