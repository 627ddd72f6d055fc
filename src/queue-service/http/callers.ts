/**
 * The callers of the queue service's route groups (docs/design.md §HTTP route groups). Each
 * `require…` function is called inside one group's plugin: it decorates the request with the
 * caller its credential proves and adds the preHandler hook that checks that credential. The hook
 * runs after validation, as the checks in the handlers did before: a malformed request is a 400
 * whoever sends it. Handlers read `request.<caller>` and never parse credentials.
 */
import { requireCaller } from '../../platform/http/route-group.js';
import type { HttpServer } from '../../platform/http/server.js';
import type { ServiceAccount } from '../db/schema.js';
import type { AdminCaller, Auth, CounterCaller, KeyCaller, OperatorCaller, ServerCaller, UserCaller } from './auth.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** A company key with the booking scope (or server, its superset): booking, display, place streams. */
    companyKey: KeyCaller;
    /** The booking key plus a user token of the same company: a person's own tickets. */
    user: UserCaller & KeyCaller;
    /** Who books: a person (user token) or a company backend (server key, userId null). */
    booker: (UserCaller & KeyCaller) | (KeyCaller & { userId: null });
    /** An operator token, whatever counter it was issued for. */
    operator: OperatorCaller;
    /** An operator signed in at the counter of the route, or a key with the operator scope. */
    counter: CounterCaller;
    /** The admin token (every company) or a key with the admin scope (its own company). */
    admin: AdminCaller;
    /** The company whose queues a live state stream shows: a booking key or an operator token. */
    queueWatcher: { companyId: string; sessionId: string | null; operator?: OperatorCaller };
    /** The service account whose RS256 server JWT is the bearer (GET /v2/api_key). */
    serviceAccount: ServiceAccount;
    /** The integrator's server: a server JWT, or a key with the server scope. */
    integratorServer: ServerCaller;
    /** Who creates a user: the integrator's server, or an app with the booking key. */
    userIssuer: ServerCaller;
  }
}

/** Public booking routes: the key is rate limited per key and per client address. */
export function requireBookingKey(scope: HttpServer, auth: Auth): void {
  requireCaller(scope, 'companyKey', (request) => auth.companyKey(request, 'booking'));
}

/**
 * The booking key and the user's bearer token. With `tokenInQuery`, `?token=` stands for the
 * header: EventSource cannot send headers.
 */
export function requireUser(scope: HttpServer, auth: Auth, options: { tokenInQuery?: boolean } = {}): void {
  requireCaller(scope, 'user', (request) => {
    const token = (request.query as { token?: string } | undefined)?.token;
    if (options.tokenInQuery && !request.headers.authorization && token) request.headers.authorization = `Bearer ${token}`;
    return auth.user(request);
  });
}

/** A user token books for its holder; without one, a server key books on behalf of people (no rate limit). */
export function requireBooker(scope: HttpServer, auth: Auth): void {
  requireCaller(scope, 'booker', async (request) =>
    request.headers.authorization ? auth.user(request) : { ...(await auth.companyKey(request, 'server')), userId: null },
  );
}

export function requireOperator(scope: HttpServer, auth: Auth): void {
  requireCaller(scope, 'operator', (request) => auth.operator(request));
}

/** Routes under /v2/endpoints/{endpointId}: the caller must be allowed at that counter. */
export function requireCounter(scope: HttpServer, auth: Auth): void {
  requireCaller(scope, 'counter', (request) => auth.atCounter(request, (request.params as { endpointId: string }).endpointId));
}

export function requireAdmin(scope: HttpServer, auth: Auth): void {
  requireCaller(scope, 'admin', async (request) => auth.admin(request));
}

/** A booking key when one is sent, otherwise an operator token (a counter desk follows the queues it serves). */
export function requireQueueWatcher(scope: HttpServer, auth: Auth): void {
  requireCaller(scope, 'queueWatcher', async (request) => {
    const hasKey = Boolean(request.headers['x-api-key'] || (request.query as { key?: string }).key);
    if (!hasKey && request.headers.authorization) {
      const operator = await auth.operator(request);
      return { companyId: operator.companyId, sessionId: operator.sessionId, operator };
    }
    return { companyId: (await auth.companyKey(request, 'booking')).companyId, sessionId: null };
  });
}

/** Operator pre-login: any key of the company names it (the password proves the rest); limited per address. */
export function requireAnyCompanyKey(scope: HttpServer, auth: Auth): void {
  requireCaller(scope, 'companyKey', (request) => {
    auth.limitAddress(request);
    return auth.anyCompanyKey(request);
  });
}

/** Operator sign-in has no credential yet: it is rate limited per client address instead. */
export function limitByAddress(scope: HttpServer, auth: Auth): void {
  scope.addHook('preHandler', async (request) => auth.limitAddress(request));
}

export function requireServiceAccount(scope: HttpServer, auth: Auth): void {
  requireCaller(scope, 'serviceAccount', (request) => auth.serviceAccount(request));
}

export function requireServer(scope: HttpServer, auth: Auth): void {
  requireCaller(scope, 'integratorServer', (request) => auth.server(request));
}

export function requireUserIssuer(scope: HttpServer, auth: Auth): void {
  requireCaller(scope, 'userIssuer', (request) => auth.userIssuer(request));
}
