/**
 * HS256 JSON Web Tokens for user and operator sessions (RFC 7519 with RFC 7515 compact form),
 * signed and verified with node:crypto. A library would do this through WebCrypto, whose every
 * verification is a round trip through the thread pool; on the booking path that round trip cost
 * more than the booking. Only HS256 is produced or accepted: no `alg` negotiation, no `none`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { LruMap } from './lru-map.js';

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

export type Claims = Record<string, unknown> & { sub?: string; iat?: number; exp?: number };

export function signJwt(claims: Claims, key: Uint8Array): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${HEADER}.${payload}.${mac(key, `${HEADER}.${payload}`)}`;
}

/** The claims of a valid, unexpired token; null for anything else. */
export function verifyJwt(token: string, key: Uint8Array, nowSeconds: number): Claims | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [header, payload, signature] = parts as [string, string, string];
  // Compared as text, not as decoded bytes: Node's base64url decoder also takes padding, '+' and
  // '/', and ignores stray low bits, so many spellings decode to one MAC; only ours is accepted.
  const expected = Buffer.from(mac(key, `${header}.${payload}`));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const { alg } = JSON.parse(Buffer.from(header, 'base64url').toString()) as { alg?: unknown };
    if (alg !== 'HS256') return null;
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Claims;
    if (typeof claims !== 'object' || claims === null) return null;
    if (typeof claims.exp !== 'number' || claims.exp <= nowSeconds) return null;
    return claims;
  } catch {
    return null;
  }
}

/**
 * verifyJwt for one key, remembering up to `maxEntries` tokens it found valid: a person's app sends
 * the same token with every request, and its HMAC and two JSON parses were a tenth of a booking's
 * own work. Only a token that verified is remembered, keyed by its exact text, with its claims
 * frozen; its expiry is checked again at every use. A forged or garbage token is verified every time.
 */
export class JwtVerifier {
  private readonly verified: LruMap<string, Readonly<Claims> & { exp: number }>;

  constructor(
    private readonly key: Uint8Array,
    maxEntries: number,
  ) {
    this.verified = new LruMap(maxEntries);
  }

  verify(token: string, nowSeconds: number): Readonly<Claims> | null {
    const known = this.verified.get(token);
    if (known) {
      if (known.exp > nowSeconds) return known;
      this.verified.delete(token);
      return null;
    }
    const claims = verifyJwt(token, this.key, nowSeconds);
    if (claims) this.verified.set(token, Object.freeze(claims) as Readonly<Claims> & { exp: number });
    return claims;
  }
}

function mac(key: Uint8Array, data: string): string {
  return createHmac('sha256', key).update(data).digest('base64url');
}
