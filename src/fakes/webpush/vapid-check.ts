/**
 * The fake's check of `Authorization: vapid t=<JWT>, k=<key>` (RFC 8292): the JWT is ES256, signed
 * by the key in `k`, for this push service's origin, not expired nor more than 24 hours ahead, with
 * a mailto: or https: subject — and `k` is the key the subscription was created with, if any.
 */
import { createPublicKey, verify } from 'node:crypto';

export interface VapidResult {
  ok: boolean;
  status?: number;
  problem?: string;
  subject?: string;
}

export function checkVapid(authorization: string | undefined, audience: string, boundKey: string | null, nowMs: number): VapidResult {
  const match = authorization ? /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(authorization) : null;
  if (!match) return { ok: false, status: 401, problem: 'missing or malformed vapid Authorization' };
  const [, jwt, key] = match as unknown as [string, string, string];
  if (boundKey !== null && key !== boundKey)
    return { ok: false, status: 403, problem: 'the key is not the one the subscription was created with' };
  const [head, body, signature] = jwt.split('.');
  if (!head || !body || !signature) return { ok: false, status: 401, problem: 'malformed JWT' };
  const claims = decode(body);
  if (decode(head)?.alg !== 'ES256' || !claims) return { ok: false, status: 401, problem: 'JWT must be ES256' };
  if (!verifiedBy(key, `${head}.${body}`, signature)) return { ok: false, status: 401, problem: 'bad JWT signature' };
  if (claims.aud !== audience) return { ok: false, status: 401, problem: `aud must be ${audience}` };
  const now = nowMs / 1000;
  if (typeof claims.exp !== 'number' || claims.exp < now || claims.exp > now + 24 * 3600)
    return { ok: false, status: 401, problem: 'exp must be within the next 24 hours' };
  if (typeof claims.sub !== 'string' || !/^(mailto:|https:)/.test(claims.sub))
    return { ok: false, status: 401, problem: 'sub must be mailto: or https:' };
  return { ok: true, subject: claims.sub };
}

function verifiedBy(key: string, data: string, signature: string): boolean {
  const point = Buffer.from(key, 'base64url');
  if (point.length !== 65 || point[0] !== 4) return false;
  try {
    const publicKey = createPublicKey({
      format: 'jwk',
      key: { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') },
    });
    return verify('sha256', Buffer.from(data), { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'));
  } catch {
    return false;
  }
}

function decode(part: string): Record<string, unknown> | null {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}
