/** Admin routes for webhook destinations. */
import { Type } from 'typebox';
import type { HttpServer } from '../../platform/http/server.js';
import type { QueueServiceDeps } from '../deps.js';
import type { Auth } from '../http/auth.js';
import { Security, errors } from '../http/schemas.js';
import { findWebhook } from '../db/queries/webhooks.js';
import { CompanyParams, CreatedWebhookView, WebhookInput, WebhookParams, WebhookPatch, WebhookView } from './schemas.js';
import { companyInScope, ownedBy } from './scope.js';
import { createWebhook, listWebhooks, removeWebhook, updateWebhook, webhookView } from './webhooks.js';

export function registerWebhookRoutes(app: HttpServer, deps: QueueServiceDeps, auth: Auth): void {
  const tags = ['admin'];
  const security = Security.admin;
  const webhook = async (request: Parameters<Auth['admin']>[0], webhookId: string) =>
    ownedBy(await auth.admin(request), await findWebhook(deps.database.db, webhookId), 'WEBHOOK_NOT_FOUND');

  app.post('/admin/companies/:companyId/webhooks', {
    schema: {
      tags, security, summary: 'Create a webhook destination',
      description: 'Ticket messages of the company are POSTed there, signed per Standard Webhooks. `actions` filters which actions are sent (all when absent). The `whsec_` secret is returned once.',
      params: CompanyParams, body: WebhookInput, response: { 201: CreatedWebhookView, ...errors(400, 401, 403, 404) },
    },
  }, async (request, reply) => reply.code(201).send(await createWebhook(deps, companyInScope(await auth.admin(request), request.params.companyId), request.body)));

  app.get('/admin/companies/:companyId/webhooks', {
    schema: { tags, security, summary: 'List webhook destinations', params: CompanyParams, response: { 200: Type.Array(WebhookView), ...errors(401, 403, 404) } },
  }, async (request) => listWebhooks(deps, companyInScope(await auth.admin(request), request.params.companyId)));

  app.get('/admin/webhooks/:webhookId', {
    schema: { tags, security, summary: 'Get a webhook destination', params: WebhookParams, response: { 200: WebhookView, ...errors(401, 403, 404) } },
  }, async (request) => webhookView(await webhook(request, request.params.webhookId)));

  app.patch('/admin/webhooks/:webhookId', {
    schema: { tags, security, summary: 'Change a webhook destination', description: 'Enabling a destination that was disabled for failing clears its failure record.', params: WebhookParams, body: WebhookPatch, response: { 200: WebhookView, ...errors(400, 401, 403, 404) } },
  }, async (request) => updateWebhook(deps, await webhook(request, request.params.webhookId), request.body));

  app.delete('/admin/webhooks/:webhookId', {
    schema: { tags, security, summary: 'Delete a webhook destination', params: WebhookParams, response: { 204: Type.Null(), ...errors(401, 403, 404) } },
  }, async (request, reply) => {
    await removeWebhook(deps, await webhook(request, request.params.webhookId));
    return reply.code(204).send(null);
  });
}
