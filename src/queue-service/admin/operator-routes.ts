/** Admin routes for operators (counter staff). */
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { HttpServer } from '../../platform/http/server.js';
import type { QueueServiceDeps } from '../deps.js';
import { Security, errors } from '../http/schemas.js';
import { findOperator } from '../db/queries/operators.js';
import { OperatorView, operatorView } from '../entities/views.js';
import {
  createOperator,
  listOperators,
  listQueueRoles,
  removeOperator,
  removeQueueRole,
  setQueueRole,
  updateOperator,
} from './operators.js';
import { Id } from '../http/schemas.js';
import { OperatorRolesInput, OperatorRolesSchema } from '../entities/operator-roles.js';
import { CompanyParams, OperatorInput, OperatorParams, OperatorPatch } from './schemas.js';
import { companyInScope, ownedBy } from '../http/admin-scope.js';

/** Inside the admin group: `request.admin` is the caller. */
export function registerOperatorRoutes(scope: HttpServer, deps: QueueServiceDeps): void {
  const tags = ['admin'];
  const security = Security.admin;
  const operator = async (request: FastifyRequest, operatorId: string) =>
    ownedBy(request.admin, await findOperator(deps.database.db, operatorId), 'OPERATOR_NOT_FOUND');

  scope.post(
    '/admin/companies/:companyId/operators',
    {
      schema: {
        tags,
        security,
        summary: 'Create an operator',
        description:
          'Passwords are stored with scrypt. Roles say which states the operator may set, whether they may recall and open/close counters; the default allows everything.',
        params: CompanyParams,
        body: OperatorInput,
        response: { 201: OperatorView, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createOperator(deps, companyInScope(request.admin, request.params.companyId), request.body)),
  );

  scope.get(
    '/admin/companies/:companyId/operators',
    {
      schema: {
        tags,
        security,
        summary: 'List operators',
        params: CompanyParams,
        response: { 200: Type.Array(OperatorView), ...errors(401, 403, 404) },
      },
    },
    async (request) => listOperators(deps, companyInScope(request.admin, request.params.companyId)),
  );

  scope.get(
    '/admin/operators/:operatorId',
    {
      schema: {
        tags,
        security,
        summary: 'Get an operator',
        params: OperatorParams,
        response: { 200: OperatorView, ...errors(401, 403, 404) },
      },
    },
    async (request) => operatorView(await operator(request, request.params.operatorId)),
  );

  scope.patch(
    '/admin/operators/:operatorId',
    {
      schema: {
        tags,
        security,
        summary: 'Change an operator (name, login, password, roles)',
        params: OperatorParams,
        body: OperatorPatch,
        response: { 200: OperatorView, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => updateOperator(deps, await operator(request, request.params.operatorId), request.body),
  );

  scope.delete(
    '/admin/operators/:operatorId',
    {
      schema: {
        tags,
        security,
        summary: 'Delete an operator',
        params: OperatorParams,
        response: { 204: Type.Null(), ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await removeOperator(deps, await operator(request, request.params.operatorId));
      return reply.code(204).send(null);
    },
  );

  const QueueRoleView = Type.Object({
    queueId: Id,
    roles: OperatorRolesSchema,
    updatedAt: Type.String({ format: 'date-time' }),
  });
  const QueueRoleParams = Type.Object({ operatorId: Id, queueId: Id });

  scope.get(
    '/admin/operators/:operatorId/queueRoles',
    {
      schema: {
        tags,
        security,
        summary: "An operator's roles per queue",
        description: "The queues where the operator has another role than their own (Lineberty's roles are per queue).",
        params: OperatorParams,
        response: { 200: Type.Array(QueueRoleView), ...errors(401, 403, 404) },
      },
    },
    async (request) => listQueueRoles(deps, await operator(request, request.params.operatorId)),
  );

  scope.put(
    '/admin/operators/:operatorId/queueRoles/:queueId',
    {
      schema: {
        tags,
        security,
        summary: "Set an operator's role in one queue",
        description:
          "The whole role in that queue, instead of the operator's own: every action on the queue's tickets, its booking pause and its indicators follow it; opening or closing a counter needs manageCounter in every queue it serves. Applies from the operator's next action.",
        params: QueueRoleParams,
        body: OperatorRolesInput,
        response: { 200: QueueRoleView, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => setQueueRole(deps, await operator(request, request.params.operatorId), request.params.queueId, request.body),
  );

  scope.delete(
    '/admin/operators/:operatorId/queueRoles/:queueId',
    {
      schema: {
        tags,
        security,
        summary: "Remove an operator's role in one queue",
        description: "The operator's own role applies there again. 404 NOT_FOUND when there was none.",
        params: QueueRoleParams,
        response: { 204: Type.Null(), ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await removeQueueRole(deps, await operator(request, request.params.operatorId), request.params.queueId);
      return reply.code(204).send(null);
    },
  );
}
