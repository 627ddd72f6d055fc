/**
 * Who is calling (docs/design.md §Credentials): the admin token, company API keys with scopes, user tokens and
 * operator tokens. The route groups' hooks (callers.ts) ask for what their group needs
 * (`auth.companyKey(request, 'booking')`) and put the caller on the request; every later query is
 * scoped to the caller's company.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../contract/errors.js';
import { RateLimiter } from '../../platform/http/rate-limit.js';
import { LruMap } from '../../platform/lru-map.js';
import { signJwt, verifyJwt } from '../../platform/jwt.js';
import { SecretBox, hashToken } from '../../platform/secrets.js';
import type { QueueServiceDeps } from '../deps.js';
import { findActiveApiKeyByHash } from '../db/queries/api-keys.js';

export const SCOPES = ['booking', 'server', 'operator', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export interface KeyCaller {
  companyId: string;
  keyId: string;
  scopes: Scope[];
}
export interface UserCaller {
  userId: string;
  companyId: string;
}
export interface OperatorCaller {
  operatorId: string;
  companyId: string;
  endpointId: string;
}
/** An operator at a counter, or a company key with the operator scope (operatorId null: no role limits). */
export interface CounterCaller {
  companyId: string;
  operatorId: string | null;
  actor: string;
}
/** The admin token reaches every company; a key with the admin scope only its own. */
export type AdminCaller = { kind: 'root' } | { kind: 'company'; companyId: string };

const KEY_CACHE_MS = 10_000;
/** Keys held at once; unknown keys are held too (a wrong key costs one lookup per KEY_CACHE_MS), evicted first when unused. */
const KEY_CACHE_MAX_ENTRIES = 10_000;
const USER_TOKEN_TTL_SECONDS = 30 * 86_400;
const OPERATOR_TOKEN_TTL_SECONDS = 12 * 3_600;

export class Auth {
  private readonly jwtKey: Uint8Array;
  private readonly keyCache = new LruMap<string, { caller: KeyCaller | null; until: number }>(KEY_CACHE_MAX_ENTRIES);
  private readonly perKey: RateLimiter;
  private readonly perAddress: RateLimiter;

  constructor(private readonly deps: QueueServiceDeps) {
    this.jwtKey = SecretBox.deriveKey(deps.config.masterKey, 'queue-service-tokens');
    this.perKey = new RateLimiter(deps.config.rateLimitPerKeyPerMinute);
    this.perAddress = new RateLimiter(deps.config.rateLimitPerAddressPerMinute);
  }

  admin(request: FastifyRequest): Promise<AdminCaller> | AdminCaller {
    const bearer = bearerOf(request);
    if (bearer && constantTimeEqual(bearer, this.deps.config.adminToken)) return { kind: 'root' };
    if (!apiKeyOf(request))
      throw new AppError('UNAUTHENTICATED', 'The admin token (Authorization: Bearer) or a company key with the admin scope is required.');
    return this.companyKey(request, 'admin').then((key) => ({ kind: 'company', companyId: key.companyId }));
  }

  /** A company key holding `scope`; public scopes are rate limited per key and per client address. */
  async companyKey(request: FastifyRequest, scope: Scope): Promise<KeyCaller> {
    const key = apiKeyOf(request);
    if (!key) throw new AppError('UNAUTHENTICATED', 'An API key is required (?key= or x-api-key).');
    const caller = await this.resolveKey(key);
    if (!caller) throw new AppError('UNAUTHENTICATED', 'The API key is not valid.');
    // The server scope is a superset of booking: a company backend books on behalf of people.
    const allowed = caller.scopes.includes(scope) || (scope === 'booking' && caller.scopes.includes('server'));
    if (!allowed) throw new AppError('FORBIDDEN', `This key lacks the "${scope}" scope.`);
    if (scope === 'booking') {
      this.perKey.take(caller.keyId);
      this.perAddress.take(request.ip);
    }
    return caller;
  }

  /** The booking key plus the user's bearer token, which must belong to the key's company. */
  async user(request: FastifyRequest): Promise<UserCaller & KeyCaller> {
    const key = await this.companyKey(request, 'booking');
    const claims = await this.verify(request, 'user');
    if (claims.cid !== key.companyId) throw new AppError('UNAUTHENTICATED', 'The user token belongs to another company.');
    return { ...key, userId: claims.sub };
  }

  async operator(request: FastifyRequest): Promise<OperatorCaller> {
    const claims = await this.verify(request, 'operator');
    return { operatorId: claims.sub, companyId: claims.cid, endpointId: String(claims.eid) };
  }

  /**
   * Who acts at a counter: an operator logged in at that very counter, or a company key with the
   * operator scope (a kiosk or back office acting for any counter of its company).
   */
  async atCounter(request: FastifyRequest, endpointId: string): Promise<CounterCaller> {
    if (apiKeyOf(request) && !request.headers.authorization) {
      const key = await this.companyKey(request, 'operator');
      return { companyId: key.companyId, operatorId: null, actor: `key:${key.keyId}` };
    }
    const operator = await this.operator(request);
    if (operator.endpointId !== endpointId) throw new AppError('FORBIDDEN', 'This operator token was issued for another counter.');
    return { companyId: operator.companyId, operatorId: operator.operatorId, actor: `operator:${operator.operatorId}` };
  }

  /** A rate limit per client address, for routes without a key (operator login). */
  limitAddress(request: FastifyRequest): void {
    this.perAddress.take(request.ip);
  }

  signUserToken(userId: string, companyId: string): Promise<string> {
    return this.sign({ typ: 'user', cid: companyId }, userId, USER_TOKEN_TTL_SECONDS);
  }

  signOperatorToken(operatorId: string, companyId: string, endpointId: string): Promise<string> {
    return this.sign({ typ: 'operator', cid: companyId, eid: endpointId }, operatorId, OPERATOR_TOKEN_TTL_SECONDS);
  }

  /** After a key is revoked: this process stops accepting it at once, others within KEY_CACHE_MS. */
  forgetKeys(): void {
    this.keyCache.clear();
  }

  private async sign(claims: Record<string, string>, subject: string, ttlSeconds: number): Promise<string> {
    const now = Math.floor(this.deps.clock.now() / 1000);
    return signJwt({ ...claims, sub: subject, iat: now, exp: now + ttlSeconds }, this.jwtKey);
  }

  private async verify(request: FastifyRequest, type: 'user' | 'operator'): Promise<{ sub: string; cid: string; eid?: unknown }> {
    const token = bearerOf(request);
    if (!token) throw new AppError('UNAUTHENTICATED', `A ${type} token is required (Authorization: Bearer).`);
    const claims = verifyJwt(token, this.jwtKey, Math.floor(this.deps.clock.now() / 1000));
    if (!claims || claims.typ !== type || typeof claims.sub !== 'string' || typeof claims.cid !== 'string') {
      throw new AppError('UNAUTHENTICATED', `The ${type} token is not valid or has expired.`);
    }
    return claims as { sub: string; cid: string; eid?: unknown };
  }

  private async resolveKey(key: string): Promise<KeyCaller | null> {
    const hash = hashToken(key);
    const now = this.deps.clock.now();
    const cached = this.keyCache.get(hash);
    if (cached && cached.until > now) return cached.caller;
    const row = await findActiveApiKeyByHash(this.deps.database.db, hash);
    const caller = row ? { companyId: row.company_id, keyId: row.id, scopes: row.scopes.split(',') as Scope[] } : null;
    this.keyCache.set(hash, { caller, until: now + KEY_CACHE_MS });
    return caller;
  }
}

/** The scheme name is case-insensitive (RFC 9110 §11.1), as the push server reads it too. */
function bearerOf(request: FastifyRequest): string | null {
  const match = /^bearer[ \t]+(.+)$/i.exec(request.headers.authorization ?? '');
  return match?.[1]?.trim() || null;
}

function apiKeyOf(request: FastifyRequest): string | null {
  const header = request.headers['x-api-key'];
  if (typeof header === 'string' && header) return header;
  const query = request.query as Record<string, unknown> | undefined;
  return typeof query?.key === 'string' && query.key ? query.key : null;
}

function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
