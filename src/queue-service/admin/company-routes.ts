/** Admin routes for companies and their API keys. */
import { Type } from 'typebox';
import { AppError } from '../../contract/errors.js';
import type { HttpServer } from '../../platform/http/server.js';
import type { QueueServiceDeps } from '../deps.js';
import type { Auth } from '../http/auth.js';
import { Security, errors } from '../http/schemas.js';
import {
  createApiKey,
  createCompany,
  getCompany,
  listAllCompanies,
  listApiKeys,
  removeCompany,
  renameCompany,
  revokeApiKey,
  setRetention,
} from './companies.js';
import { CompanyInput, CompanyParams, CompanyView, CreatedKeyView, KeyInput, KeyParams, KeyView, RetentionInput } from './schemas.js';
import { companyInScope } from '../http/admin-scope.js';
import { ErasedView, erasePerson } from '../privacy/erase.js';

/** Inside the admin group: `request.admin` is the caller. */
export function registerCompanyRoutes(scope: HttpServer, deps: QueueServiceDeps, auth: Auth): void {
  const tags = ['admin'];
  const security = Security.admin;

  scope.post(
    '/admin/companies',
    {
      schema: { tags, security, summary: 'Create a company', body: CompanyInput, response: { 201: CompanyView, ...errors(400, 401, 403) } },
    },
    async (request, reply) => {
      if (request.admin.kind !== 'root') throw new AppError('FORBIDDEN', 'Only the admin token creates companies.');
      return reply.code(201).send(await createCompany(deps, request.body.name));
    },
  );

  scope.get(
    '/admin/companies',
    {
      schema: {
        tags,
        security,
        summary: 'List companies',
        description: 'All companies for the admin token; its own for a company admin key.',
        response: { 200: Type.Array(CompanyView), ...errors(401, 403) },
      },
    },
    async (request) => {
      const caller = request.admin;
      return caller.kind === 'root' ? listAllCompanies(deps) : [await getCompany(deps, caller.companyId)];
    },
  );

  scope.get(
    '/admin/companies/:companyId',
    {
      schema: { tags, security, summary: 'Get a company', params: CompanyParams, response: { 200: CompanyView, ...errors(401, 403, 404) } },
    },
    async (request) => getCompany(deps, companyInScope(request.admin, request.params.companyId)),
  );

  scope.patch(
    '/admin/companies/:companyId',
    {
      schema: {
        tags,
        security,
        summary: 'Rename a company',
        params: CompanyParams,
        body: CompanyInput,
        response: { 200: CompanyView, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => renameCompany(deps, companyInScope(request.admin, request.params.companyId), request.body.name),
  );

  scope.put(
    '/admin/companies/:companyId/retention',
    {
      schema: {
        tags,
        security,
        summary: 'Set how long personal data is kept',
        description:
          'Names, phones, e-mail addresses and pushIds of ended tickets, and the bodies and recipients of finished messages, are erased this many days after (default 30); counts and statistics stay. The scheduler purges hourly; `queuebell purge` does it at once.',
        params: CompanyParams,
        body: RetentionInput,
        response: { 200: CompanyView, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => setRetention(deps, companyInScope(request.admin, request.params.companyId), request.body.days),
  );

  scope.delete(
    '/admin/companies/:companyId/users/:userId',
    {
      schema: {
        tags,
        security,
        summary: "Erase a person's personal data",
        description:
          "What DELETE /v2/user does, on the person's request made elsewhere: name, phone, e-mail and pushId of every ticket of the user, their messages' bodies and recipients, their rating comments. Waiting messages are not sent; counts and statistics stay.",
        params: Type.Object({ companyId: Type.String({ maxLength: 64 }), userId: Type.String({ maxLength: 64 }) }),
        response: { 200: ErasedView, ...errors(401, 403, 404) },
      },
    },
    async (request) => {
      const companyId = companyInScope(request.admin, request.params.companyId);
      await getCompany(deps, companyId);
      return erasePerson(deps, companyId, request.params.userId);
    },
  );

  scope.delete(
    '/admin/companies/:companyId',
    {
      schema: {
        tags,
        security,
        summary: 'Delete a company and everything it owns',
        params: CompanyParams,
        response: { 204: Type.Null(), ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      if (request.admin.kind !== 'root') throw new AppError('FORBIDDEN', 'Only the admin token deletes companies.');
      await removeCompany(deps, request.params.companyId);
      return reply.code(204).send(null);
    },
  );

  scope.post(
    '/admin/companies/:companyId/keys',
    {
      schema: {
        tags,
        security,
        summary: 'Create an API key',
        description: 'Scopes: booking (safe inside an app), server, operator, admin. The key is returned once.',
        params: CompanyParams,
        body: KeyInput,
        response: { 201: CreatedKeyView, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const companyId = companyInScope(request.admin, request.params.companyId);
      return reply
        .code(201)
        .send(await createApiKey(deps, companyId, request.body.scopes, request.body.name ?? request.body.scopes.join('+')));
    },
  );

  scope.get(
    '/admin/companies/:companyId/keys',
    {
      schema: {
        tags,
        security,
        summary: 'List API keys (without the keys themselves)',
        params: CompanyParams,
        response: { 200: Type.Array(KeyView), ...errors(401, 403, 404) },
      },
    },
    async (request) => listApiKeys(deps, companyInScope(request.admin, request.params.companyId)),
  );

  scope.delete(
    '/admin/companies/:companyId/keys/:keyId',
    {
      schema: { tags, security, summary: 'Revoke an API key', params: KeyParams, response: { 204: Type.Null(), ...errors(401, 403, 404) } },
    },
    async (request, reply) => {
      await revokeApiKey(deps, companyInScope(request.admin, request.params.companyId), request.params.keyId);
      auth.forgetKeys();
      return reply.code(204).send(null);
    },
  );
}
