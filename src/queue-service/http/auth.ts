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
import { JwtVerifier, signJwt } from '../../platform/jwt.js';
import { SecretBox, hashToken } from '../../platform/secrets.js';
import { newId } from '../../platform/ids.js';
import type { QueueServiceDeps } from '../deps.js';
import { findActiveApiKeyByHash } from '../db/queries/api-keys.js';
import { findSession, insertSession } from '../db/queries/sessions.js';
import type { ServiceAccount, Session } from '../db/schema.js';
import { isServerJwt, verifyServerJwt } from './server-jwt.js';
import { findOperatorTokenVersion } from '../db/queries/operators.js';

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
  /** The token's jti; null for tokens issued before sessions existed. */
  sessionId: string | null;
}
export interface OperatorCaller {
  operatorId: string;
  companyId: string;
  /** Null after a pre-login, until the session is assigned to a counter. */
  endpointId: string | null;
  sessionId: string | null;
  /** The operator's token version the token was issued with (operators.token_version). */
  tokenVersion: number;
}
/** The integrator's server: a server JWT of a service account, or a key with the server scope. */
export interface ServerCaller {
  companyId: string;
  actor: string;
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
/** Our keys are ~40 characters (newToken); a longer one is cached under its hash. */
const KEY_CACHED_AS_SENT_MAX_LENGTH = 128;
/** How long a service account's API key keeps working after it expired (docs/design.md §Credentials). */
const SERVICE_ACCOUNT_KEY_GRACE_MS = 24 * 3_600_000;
/** A session's state is cached this long: ending it elsewhere takes effect here within this time. */
const SESSION_CACHE_MS = 10_000;
/** Valid user and operator tokens remembered at once (~0.6 KB each); a session ended is still seen through SESSION_CACHE_MS. */
const VERIFIED_TOKENS_MAX_ENTRIES = 10_000;
const USER_TOKEN_TTL_SECONDS = 30 * 86_400;
const OPERATOR_TOKEN_TTL_SECONDS = 12 * 3_600;

export class Auth {
  private readonly jwtKey: Uint8Array;
  private readonly tokens: JwtVerifier;
  private readonly keyCache = new LruMap<string, { caller: KeyCaller | null; until: number }>(KEY_CACHE_MAX_ENTRIES);
  private readonly sessionCache = new LruMap<string, { live: boolean; until: number }>(KEY_CACHE_MAX_ENTRIES);
  /** Open streams per session, closed when it ends; sessions ended elsewhere are seen by a poll. */
  private readonly sessionWatchers = new Map<string, Set<() => void>>();
  private sessionPoll: NodeJS.Timeout | null = null;
  private readonly perKey: RateLimiter;
  private readonly perAddress: RateLimiter;

  constructor(private readonly deps: QueueServiceDeps) {
    this.jwtKey = SecretBox.deriveKey(deps.config.masterKey, 'queue-service-tokens');
    this.tokens = new JwtVerifier(this.jwtKey, VERIFIED_TOKENS_MAX_ENTRIES);
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

  /** Any valid key of a company, whatever its scopes: it names the company (operator pre-login). */
  async anyCompanyKey(request: FastifyRequest): Promise<KeyCaller> {
    const key = apiKeyOf(request);
    if (!key) throw new AppError('UNAUTHENTICATED', 'An API key is required (?key= or x-api-key): it names the company.');
    const caller = await this.resolveKey(key);
    if (!caller) throw new AppError('UNAUTHENTICATED', 'The API key is not valid.');
    return caller;
  }

  /** The booking key plus the user's bearer token, which must belong to the key's company. */
  async user(request: FastifyRequest): Promise<UserCaller & KeyCaller> {
    const key = await this.companyKey(request, 'booking');
    const claims = await this.verify(request, 'user');
    if (claims.cid !== key.companyId) throw new AppError('UNAUTHENTICATED', 'The user token belongs to another company.');
    return { ...key, userId: claims.sub, sessionId: claims.jti ?? null };
  }

  /**
   * An operator token is good while its operator exists with the token version it was issued
   * with: a password, login or role change, or a deletion, ends every token issued before
   * (docs/security.md §Tokens). One primary-key read per request.
   */
  async operator(request: FastifyRequest): Promise<OperatorCaller> {
    const claims = await this.verify(request, 'operator');
    const endpointId = typeof claims.eid === 'string' ? claims.eid : null;
    const caller = {
      operatorId: claims.sub,
      companyId: claims.cid,
      endpointId,
      sessionId: claims.jti ?? null,
      tokenVersion: Number(claims.ver ?? 0),
    };
    if (!(await this.operatorTokenCurrent(caller)))
      throw new AppError('UNAUTHENTICATED', 'The operator token was issued before its operator changed or was deleted; sign in again.');
    return caller;
  }

  /** Whether the operator still exists, in the company and at the token version the token was issued with. */
  async operatorTokenCurrent(caller: Pick<OperatorCaller, 'operatorId' | 'companyId' | 'tokenVersion'>): Promise<boolean> {
    const row = await findOperatorTokenVersion(this.deps.database.db, caller.operatorId);
    return row !== undefined && row.company_id === caller.companyId && Number(row.token_version) === caller.tokenVersion;
  }

  /**
   * The integrator's server (docs/design.md §Credentials): an RS256 server JWT as Authorization:
   * Bearer, or else a company key with the server scope.
   */
  async server(request: FastifyRequest): Promise<ServerCaller> {
    if (bearerOf(request)) {
      const account = await this.serviceAccount(request);
      return { companyId: account.company_id, actor: `serviceAccount:${account.id}` };
    }
    const key = await this.companyKey(request, 'server');
    return { companyId: key.companyId, actor: `key:${key.keyId}` };
  }

  /** The service account whose server JWT is the bearer (GET /v2/api_key). */
  async serviceAccount(request: FastifyRequest): Promise<ServiceAccount> {
    const bearer = bearerOf(request);
    if (!bearer)
      throw new AppError('UNAUTHENTICATED', 'A server JWT signed with a service account key is required (Authorization: Bearer).');
    // Each attempt costs a lookup and an RSA verification: limited per address like operator login.
    this.perAddress.take(request.ip);
    return verifyServerJwt(this.deps.database.db, bearer, this.deps.clock.now());
  }

  /** Who may create a user: the integrator's server, or an app with the booking key (queuebell's own flow). */
  async userIssuer(request: FastifyRequest): Promise<ServerCaller> {
    const bearer = bearerOf(request);
    // An app may send its (old) user token along with the booking key: that still creates a user.
    if (bearer && (isServerJwt(bearer) || !apiKeyOf(request))) return this.server(request);
    const key = await this.companyKey(request, 'booking');
    return { companyId: key.companyId, actor: `key:${key.keyId}` };
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
    if (operator.endpointId === null)
      throw new AppError('FORBIDDEN', 'This operator session is not at a counter yet: POST /v2/operator/session/assignToEndpoint first.');
    if (operator.endpointId !== endpointId) throw new AppError('FORBIDDEN', 'This operator token was issued for another counter.');
    return { companyId: operator.companyId, operatorId: operator.operatorId, actor: `operator:${operator.operatorId}` };
  }

  /** A rate limit per client address, for routes without a key (operator login). */
  limitAddress(request: FastifyRequest): void {
    this.perAddress.take(request.ip);
  }

  /** A new session (its id is the tokens' jti); ending it revokes every token issued in it. */
  async startSession(kind: Session['kind'], subjectId: string, companyId: string): Promise<string> {
    const id = newId(kind === 'user' ? 'ses' : 'ops');
    await insertSession(this.deps.database.db, {
      id,
      company_id: companyId,
      kind,
      subject_id: subjectId,
      created_at: this.deps.clock.now(),
      ended_at: null,
    });
    // Known live here: the first requests with its token (usually at once) need no lookup.
    this.sessionCache.set(id, { live: true, until: this.deps.clock.now() + SESSION_CACHE_MS });
    return id;
  }

  /** Lineberty's user token: `userId`, `jti` (the session id) and `exp` are what its clients read. */
  signUserToken(userId: string, companyId: string, sessionId: string): Promise<string> {
    return this.sign({ typ: 'user', cid: companyId, userId, jti: sessionId }, userId, USER_TOKEN_TTL_SECONDS);
  }

  /**
   * `endpointId` null: a pre-login session, not yet at a counter. `tokenVersion`: the operator's,
   * checked on every request (docs/security.md §Tokens).
   */
  signOperatorToken(
    operatorId: string,
    companyId: string,
    endpointId: string | null,
    sessionId: string,
    tokenVersion: number,
  ): Promise<string> {
    const claims: Record<string, string | number> = { typ: 'operator', cid: companyId, jti: sessionId, ver: tokenVersion };
    if (endpointId !== null) claims.eid = endpointId;
    return this.sign(claims, operatorId, OPERATOR_TOKEN_TTL_SECONDS);
  }

  /** After a session ended: this process refuses its tokens at once, others within SESSION_CACHE_MS. */
  forgetSession(sessionId: string): void {
    this.sessionCache.set(sessionId, { live: false, until: Number.POSITIVE_INFINITY });
    for (const listener of this.sessionWatchers.get(sessionId) ?? []) listener();
  }

  /** Calls `listener` once the session ends (here at once, elsewhere within about SESSION_CACHE_MS); returns the unsubscribe. */
  onSessionEnd(sessionId: string, listener: () => void): () => void {
    const listeners = this.sessionWatchers.get(sessionId) ?? new Set<() => void>();
    this.sessionWatchers.set(sessionId, listeners);
    listeners.add(listener);
    if (!this.sessionPoll) {
      this.sessionPoll = setInterval(() => void this.pollSessions(), SESSION_CACHE_MS);
      this.sessionPoll.unref();
    }
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) this.sessionWatchers.delete(sessionId);
      if (this.sessionWatchers.size === 0 && this.sessionPoll) {
        clearInterval(this.sessionPoll);
        this.sessionPoll = null;
      }
    };
  }

  /** Checks every watched session again (tests call it instead of waiting for the timer). */
  async pollSessions(): Promise<void> {
    for (const sessionId of [...this.sessionWatchers.keys()]) {
      try {
        if (!(await this.isSessionLive(sessionId))) this.forgetSession(sessionId);
      } catch (error) {
        // The database is away for a moment: streams stay open and the next poll checks again.
        this.deps.logger.warn({ err: error }, 'session check of open streams failed');
      }
    }
  }

  /** Whether a session is still live (cached like keys); open streams ask it again on their heartbeat. */
  async isSessionLive(sessionId: string): Promise<boolean> {
    const now = this.deps.clock.now();
    const cached = this.sessionCache.get(sessionId);
    if (cached && cached.until > now) return cached.live;
    const row = await findSession(this.deps.database.db, sessionId);
    const live = row !== undefined && row.ended_at === null;
    this.sessionCache.set(sessionId, { live, until: live ? now + SESSION_CACHE_MS : Number.POSITIVE_INFINITY });
    return live;
  }

  /** After a key is revoked: this process stops accepting it at once, others within KEY_CACHE_MS. */
  forgetKeys(): void {
    this.keyCache.clear();
  }

  private async sign(claims: Record<string, string | number>, subject: string, ttlSeconds: number): Promise<string> {
    const now = Math.floor(this.deps.clock.now() / 1000);
    return signJwt({ ...claims, sub: subject, iat: now, exp: now + ttlSeconds }, this.jwtKey);
  }

  private async verify(
    request: FastifyRequest,
    type: 'user' | 'operator',
  ): Promise<{ sub: string; cid: string; eid?: unknown; jti?: string; ver?: unknown }> {
    const token = bearerOf(request);
    if (!token) throw new AppError('UNAUTHENTICATED', `A ${type} token is required (Authorization: Bearer).`);
    const claims = this.tokens.verify(token, Math.floor(this.deps.clock.now() / 1000));
    if (!claims || claims.typ !== type || typeof claims.sub !== 'string' || typeof claims.cid !== 'string') {
      throw new AppError('UNAUTHENTICATED', `The ${type} token is not valid or has expired.`);
    }
    // Tokens from before sessions existed have no jti: they stay valid until they expire.
    if (typeof claims.jti === 'string' && !(await this.isSessionLive(claims.jti))) {
      throw new AppError('UNAUTHENTICATED', `The ${type} session has ended.`);
    }
    return claims as { sub: string; cid: string; eid?: unknown; jti?: string; ver?: unknown };
  }

  private async resolveKey(key: string): Promise<KeyCaller | null> {
    // The cache holds a key of ordinary length as sent, sparing each request its SHA-256, and a
    // longer one by its hash, so that a flood of long made-up keys cannot fill memory.
    const cacheKey = key.length <= KEY_CACHED_AS_SENT_MAX_LENGTH ? `key:${key}` : `sha256:${hashToken(key)}`;
    const now = this.deps.clock.now();
    const cached = this.keyCache.get(cacheKey);
    if (cached && cached.until > now) return cached.caller;
    const row = await findActiveApiKeyByHash(this.deps.database.db, hashToken(key));
    // A service account's key keeps working SERVICE_ACCOUNT_KEY_GRACE_MS after it expired (Lineberty's rule).
    const usableUntil = row?.expires_at != null ? row.expires_at + SERVICE_ACCOUNT_KEY_GRACE_MS : Number.POSITIVE_INFINITY;
    const caller = row && now < usableUntil ? { companyId: row.company_id, keyId: row.id, scopes: row.scopes.split(',') as Scope[] } : null;
    this.keyCache.set(cacheKey, { caller, until: Math.min(now + KEY_CACHE_MS, caller ? usableUntil : Number.POSITIVE_INFINITY) });
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
