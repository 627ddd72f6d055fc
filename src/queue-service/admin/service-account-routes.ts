/** Admin routes for service accounts (docs/design.md §Credentials): create (the key file, once), list, revoke. */
import { Type } from 'typebox';
import type { HttpServer } from '../../platform/http/server.js';
import type { QueueServiceDeps } from '../deps.js';
import type { Auth } from '../http/auth.js';
import { Security, errors } from '../http/schemas.js';
import { companyInScope } from '../http/admin-scope.js';
import { CompanyParams, ServiceAccountInput, ServiceAccountKeyFile, ServiceAccountParams, ServiceAccountView } from './schemas.js';
import { createServiceAccount, listServiceAccounts, revokeServiceAccount } from './service-accounts.js';

/** Inside the admin group: `request.admin` is the caller. */
export function registerServiceAccountRoutes(scope: HttpServer, deps: QueueServiceDeps, auth: Auth): void {
  const tags = ['admin'];
  const security = Security.admin;

  scope.post(
    '/admin/companies/:companyId/service-accounts',
    {
      schema: {
        tags,
        security,
        summary: 'Create a service account',
        description:
          "Answers the key file, once: the private key is not stored. The integrator's server signs RS256 JWTs with it for GET /v2/api_key and the user-session routes.",
        params: CompanyParams,
        body: ServiceAccountInput,
        response: { 201: ServiceAccountKeyFile, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const companyId = companyInScope(request.admin, request.params.companyId);
      const scopes = request.body.scopes ?? (['booking'] as const);
      const origin = `${request.protocol}://${request.host}`;
      return reply
        .code(201)
        .send(await createServiceAccount(deps, companyId, { name: request.body.name ?? 'service account', scopes }, origin));
    },
  );

  scope.get(
    '/admin/companies/:companyId/service-accounts',
    {
      schema: {
        tags,
        security,
        summary: 'List service accounts (never a private key)',
        params: CompanyParams,
        response: { 200: Type.Array(ServiceAccountView), ...errors(401, 403, 404) },
      },
    },
    async (request) => listServiceAccounts(deps, companyInScope(request.admin, request.params.companyId)),
  );

  scope.delete(
    '/admin/companies/:companyId/service-accounts/:serviceAccountId',
    {
      schema: {
        tags,
        security,
        summary: 'Revoke a service account',
        description: 'Its JWTs and every API key it received stop working.',
        params: ServiceAccountParams,
        response: { 204: Type.Null(), ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await revokeServiceAccount(deps, companyInScope(request.admin, request.params.companyId), request.params.serviceAccountId);
      auth.forgetKeys();
      return reply.code(204).send(null);
    },
  );
}
