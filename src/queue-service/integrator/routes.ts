/**
 * The integrator's server, Lineberty-style (docs/design.md §Credentials and §Routes): an API key for
 * a server JWT, and users with their sessions. Sub-groups by credential: the server JWT alone (the
 * API key), the server or an app with the booking key (create a user), the server (log a user in,
 * refresh or end a session), and the user (log out).
 */
import { Type } from 'typebox';
import { routeGroup } from '../../platform/http/route-group.js';
import type { HttpServer } from '../../platform/http/server.js';
import type { QueueServiceDeps } from '../deps.js';
import type { Auth } from '../http/auth.js';
import { requireServer, requireServiceAccount, requireUser, requireUserIssuer } from '../http/callers.js';
import { Id, KeyOnlyQuery, Security, errors } from '../http/schemas.js';
import { ServiceAccountKeys } from './api-key.js';
import { createUser, endUserSession, loginUser, refreshUserSession } from './users.js';

const tags = ['integrator'];
const querystring = KeyOnlyQuery;
const UserToken = Type.Object({
  userId: Id,
  jwtToken: Type.String({ description: 'HS256 JWT with userId, jti (the session id) and exp; sent as Authorization: Bearer.' }),
});
const SessionParams = Type.Object({ userId: Id, sessionId: Id });

export async function registerIntegratorRoutes(app: HttpServer, deps: QueueServiceDeps, auth: Auth): Promise<void> {
  const keys = new ServiceAccountKeys(deps);
  await routeGroup(app, (scope) => {
    requireServiceAccount(scope, auth);
    apiKeyRoute(scope, keys);
  });
  await routeGroup(app, (scope) => {
    requireUserIssuer(scope, auth);
    userCreationRoutes(scope, deps, auth);
  });
  await routeGroup(app, (scope) => {
    requireServer(scope, auth);
    sessionRoutes(scope, deps, auth);
  });
  await routeGroup(app, (scope) => {
    requireUser(scope, auth);
    logoutRoute(scope, deps, auth);
  });
}

function apiKeyRoute(scope: HttpServer, keys: ServiceAccountKeys): void {
  scope.get(
    '/v2/api_key',
    {
      schema: {
        tags,
        security: Security.serverJwt,
        summary: 'Get an API key for a server JWT',
        description:
          'The current key of the service account, with its scopes, to send as ?key=. A key is current for 24 hours, then a new one is issued; an expired key keeps working 24 hours more. Cache it and ask again once a day. 401 INVALID_SERVER_JWT names what is wrong with the JWT.',
        response: {
          200: Type.Object({
            apiKey: Type.String(),
            expiresAt: Type.String({ format: 'date-time', description: 'When this key stops being the current one (it works 24 h more).' }),
          }),
          ...errors(401),
        },
      },
    },
    async (request) => keys.currentKey(request.serviceAccount),
  );
}

function userCreationRoutes(scope: HttpServer, deps: QueueServiceDeps, auth: Auth): void {
  const description =
    'A new user in a new session: the server JWT or a server key (the integrator server), or the booking key (an app on its own).';
  scope.post(
    '/v2/users',
    {
      schema: {
        tags: ['booking', ...tags],
        security: [...Security.serverJwt, ...Security.key],
        summary: 'Create a user',
        description,
        querystring,
        response: { 201: UserToken, ...errors(401, 403, 429) },
      },
    },
    async (request, reply) => reply.code(201).send(await createUser(deps, auth, request.userIssuer.companyId)),
  );
  scope.get(
    '/v2/users',
    {
      schema: {
        tags,
        security: [...Security.serverJwt, ...Security.key],
        summary: 'Create a user (GET, as Lineberty sample servers send it)',
        description: `${description} Same as POST, answered 200.`,
        querystring,
        response: { 200: UserToken, ...errors(401, 403, 429) },
      },
    },
    async (request) => createUser(deps, auth, request.userIssuer.companyId),
  );
}

function sessionRoutes(scope: HttpServer, deps: QueueServiceDeps, auth: Auth): void {
  scope.get(
    '/v2/users/:userId/login',
    {
      schema: {
        tags,
        security: Security.server,
        summary: 'Log a user in',
        description: 'A token in a new session of an existing user of the company.',
        params: Type.Object({ userId: Id }),
        querystring,
        response: { 200: UserToken, ...errors(401, 403, 404) },
      },
    },
    async (request) => loginUser(deps, auth, request.integratorServer.companyId, request.params.userId),
  );
  scope.get(
    '/v2/users/:userId/session/:sessionId/refreshToken',
    {
      schema: {
        tags,
        security: Security.server,
        summary: "Refresh a user session's token",
        description: 'A fresh token (new exp) in the same session; 401 once the session has ended.',
        params: SessionParams,
        querystring,
        response: { 200: UserToken, ...errors(401, 403, 404) },
      },
    },
    async (request) => refreshUserSession(deps, auth, request.integratorServer.companyId, request.params.userId, request.params.sessionId),
  );
  scope.delete(
    '/v2/users/:userId/session/:sessionId',
    {
      schema: {
        tags,
        security: Security.server,
        summary: 'End a user session',
        description: 'Every token of the session stops working, and its live streams close.',
        params: SessionParams,
        querystring,
        response: { 204: Type.Null(), ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await endUserSession(deps, auth, request.integratorServer.companyId, request.params.userId, request.params.sessionId);
      return reply.code(204).send(null);
    },
  );
}

function logoutRoute(scope: HttpServer, deps: QueueServiceDeps, auth: Auth): void {
  scope.post(
    '/v2/user/logout',
    {
      schema: {
        tags: ['booking'],
        security: Security.user,
        summary: "End the user's own session",
        description: 'The token sent and every other token of its session stop working.',
        querystring,
        response: { 204: Type.Null(), ...errors(401, 403, 409) },
      },
    },
    async (request, reply) => {
      const { companyId, userId, sessionId } = request.user;
      if (sessionId) await endUserSession(deps, auth, companyId, userId, sessionId);
      return reply.code(204).send(null);
    },
  );
}
