/**
 * The fake's check of the APNs provider token, as Apple describes it: an ES256 JWT with `kid` =
 * the key id and `iss` = the team id, signed by the .p8 key, and at most an hour old. The
 * signature of a given token is verified once; its age is checked on every request.
 */
import { verify, type KeyObject } from 'node:crypto';

export type TokenProblem = 'MissingProviderToken' | 'InvalidProviderToken' | 'ExpiredProviderToken';

export interface RegisteredKey {
  keyId: string;
  teamId: string;
  publicKey: KeyObject;
}

const MAX_AGE_S = 3600;

export class ProviderTokenChecker {
  private readonly verified = new Map<string, number>();

  constructor(private readonly key: RegisteredKey) {}

  /** Distinct valid tokens seen: a test can tell whether the client reuses its token. */
  get distinctTokens(): number {
    return this.verified.size;
  }

  check(authorization: string | undefined, nowMs: number): TokenProblem | null {
    const match = authorization ? /^bearer (\S+)$/i.exec(authorization) : null;
    if (!match) return 'MissingProviderToken';
    const jwt = match[1]!;
    const iat = this.verified.get(jwt) ?? this.verifySignature(jwt);
    if (iat === null) return 'InvalidProviderToken';
    const age = nowMs / 1000 - iat;
    if (age > MAX_AGE_S || age < -60) return 'ExpiredProviderToken';
    return null;
  }

  private verifySignature(jwt: string): number | null {
    const [head, body, signature] = jwt.split('.');
    if (!head || !body || !signature) return null;
    try {
      const header = JSON.parse(Buffer.from(head, 'base64url').toString()) as { alg?: string; kid?: string };
      const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as { iss?: string; iat?: number };
      if (header.alg !== 'ES256' || header.kid !== this.key.keyId || claims.iss !== this.key.teamId || typeof claims.iat !== 'number')
        return null;
      const valid = verify(
        'sha256',
        Buffer.from(`${head}.${body}`),
        { key: this.key.publicKey, dsaEncoding: 'ieee-p1363' },
        Buffer.from(signature, 'base64url'),
      );
      if (!valid) return null;
      this.verified.set(jwt, claims.iat);
      return claims.iat;
    } catch {
      return null;
    }
  }
}
