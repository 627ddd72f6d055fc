/**
 * The fake Google token endpoint: checks the service account's RS256 assertion (signature against
 * the account's public key, iss, aud = token_uri, scope, lifetime at most an hour) and hands out
 * opaque access tokens it remembers, so the send endpoint can check them.
 */
import { randomBytes, verify, type KeyObject } from 'node:crypto';

const MESSAGING_SCOPE = 'https://www.googleapis.com/auth/firebase.messaging';

export interface AccountIdentity {
  clientEmail: string;
  privateKeyId: string;
  tokenUri: string;
  publicKey: KeyObject;
}

export class FakeOAuth {
  private readonly tokens = new Map<string, number>();
  issued = 0;

  constructor(
    private readonly account: AccountIdentity,
    private readonly lifetimeS: number,
  ) {}

  /** Answers the token request: `{status, body}` as the HTTP handler sends it. */
  exchange(form: URLSearchParams, nowMs: number): { status: number; body: object } {
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer')
      return invalid('unsupported_grant_type', 'grant_type must be the JWT bearer grant');
    const problem = this.checkAssertion(form.get('assertion') ?? '', nowMs);
    if (problem) return invalid('invalid_grant', problem);
    const token = `ya29.fake-${randomBytes(24).toString('base64url')}`;
    this.tokens.set(token, nowMs + this.lifetimeS * 1000);
    this.issued += 1;
    return { status: 200, body: { access_token: token, expires_in: this.lifetimeS, token_type: 'Bearer' } };
  }

  isValid(authorization: string | undefined, nowMs: number): boolean {
    const match = authorization ? /^Bearer (\S+)$/.exec(authorization) : null;
    const expiresAt = match ? this.tokens.get(match[1]!) : undefined;
    return expiresAt !== undefined && expiresAt > nowMs;
  }

  /** Simulates revoked tokens: the next send gets 401 and the client must fetch a new one. */
  revokeAll(): void {
    this.tokens.clear();
  }

  private checkAssertion(assertion: string, nowMs: number): string | null {
    const [head, body, signature] = assertion.split('.');
    if (!head || !body || !signature) return 'malformed assertion';
    const header = decode(head);
    const claims = decode(body);
    if (header?.alg !== 'RS256') return 'assertion must be RS256';
    if (header.kid !== undefined && header.kid !== this.account.privateKeyId) return 'unknown key id';
    if (!verify('sha256', Buffer.from(`${head}.${body}`), this.account.publicKey, Buffer.from(signature, 'base64url')))
      return 'Invalid JWT Signature.';
    if (claims?.iss !== this.account.clientEmail) return 'iss is not the service account';
    if (claims.aud !== this.account.tokenUri) return 'aud must be the token_uri';
    if (typeof claims.scope !== 'string' || !claims.scope.split(' ').includes(MESSAGING_SCOPE))
      return 'scope must include firebase.messaging';
    const now = nowMs / 1000;
    if (
      typeof claims.iat !== 'number' ||
      typeof claims.exp !== 'number' ||
      claims.exp - claims.iat > 3600 ||
      claims.iat > now + 60 ||
      claims.exp < now
    ) {
      return 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.';
    }
    return null;
  }
}

function invalid(error: string, description: string): { status: number; body: object } {
  return { status: 400, body: { error, error_description: description } };
}

function decode(part: string): Record<string, unknown> | null {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}
