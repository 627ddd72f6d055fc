/** Admin routes for webhook destinations: CRUD, secret rotation, and the company's delivery health. */
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { HttpServer } from '../../platform/http/server.js';
import type { QueueServiceDeps } from '../deps.js';
import { Security, errors } from '../http/schemas.js';
import { findWebhook } from '../db/queries/webhooks.js';
import { CompanyParams, WebhookParams } from './schemas.js';
import { companyInScope, ownedBy } from '../http/admin-scope.js';
import {
  createWebhook,
  deliveryHealth,
  listWebhooks,
  removeWebhook,
  revokeOlderSecrets,
  rotateWebhookSecret,
  setReceiptSecret,
  updateWebhook,
  webhookView,
} from './webhooks.js';

const Time = Type.String({ format: 'date-time' });
const NullableTime = Type.Union([Time, Type.Null()]);
const NullableText = Type.Union([Type.String(), Type.Null()]);
const Secret = Type.String({
  pattern: '^whsec_[A-Za-z0-9+/=]+$',
  maxLength: 200,
  description: 'A `whsec_` secret of 24 to 64 bytes, to match one a receiver already has.',
});

const WebhookInput = Type.Object(
  {
    url: Type.String({ minLength: 1, maxLength: 2000 }),
    actions: Type.Optional(Type.Union([Type.Array(Type.String({ maxLength: 64 }), { maxItems: 50, uniqueItems: true }), Type.Null()])),
    description: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
    enabled: Type.Optional(Type.Boolean()),
    secret: Type.Optional(Secret),
  },
  { additionalProperties: false },
);
const WebhookPatch = Type.Partial(Type.Omit(WebhookInput, ['secret']), { additionalProperties: false });
const RotationInput = Type.Object(
  {
    overlapSeconds: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 7 * 86400,
        description: 'How long the previous secrets keep signing (default one day; 0 revokes them now).',
      }),
    ),
    secret: Type.Optional(Secret),
  },
  { additionalProperties: false },
);

const webhookFields = {
  id: Type.String(),
  companyId: Type.String(),
  url: Type.String(),
  description: NullableText,
  enabled: Type.Boolean(),
  actions: Type.Union([Type.Array(Type.String()), Type.Null()]),
  health: Type.Union([Type.Literal('healthy'), Type.Literal('failing'), Type.Literal('disabled')], {
    description: 'failing: deliveries fail since `failingSince`; after five days of that the destination is disabled.',
  }),
  failingSince: NullableTime,
  consecutiveFailures: Type.Integer(),
  lastSuccessAt: NullableTime,
  lastFailureAt: NullableTime,
  lastFailureReason: NullableText,
  disabledAt: NullableTime,
  disabledReason: NullableText,
  receiptsEnabled: Type.Boolean({ description: 'The push server may post receipts for this destination (a receipt secret is set).' }),
  secrets: Type.Array(Type.Object({ createdAt: Time, expiresAt: NullableTime }), {
    description: 'Newest first; each live one signs every message.',
  }),
  createdAt: Time,
  updatedAt: Time,
};
const WebhookView = Type.Object(webhookFields);
const WithSecret = Type.Object({ ...webhookFields, secret: Type.String({ description: 'The new whsec_ secret, shown once.' }) });
const DeliveryHealthView = Type.Object({
  companyId: Type.String(),
  needsAttention: Type.Boolean({ description: 'A destination is failing, or was disabled for failing.' }),
  destinations: Type.Array(Type.Object({ ...webhookFields, waitingMessages: Type.Integer() })),
});

/** Inside the admin group: `request.admin` is the caller. */
export function registerWebhookRoutes(scope: HttpServer, deps: QueueServiceDeps): void {
  const tags = ['admin'];
  const security = Security.admin;
  const webhook = async (request: FastifyRequest, webhookId: string) =>
    ownedBy(request.admin, await findWebhook(deps.database.db, webhookId), 'WEBHOOK_NOT_FOUND');

  scope.post(
    '/admin/companies/:companyId/webhooks',
    {
      schema: {
        tags,
        security,
        summary: 'Create a webhook destination',
        description:
          'Ticket messages of the company are POSTed there, signed per Standard Webhooks. `actions` filters which actions are sent (all when absent). The `whsec_` secret (generated unless given) is returned once.',
        params: CompanyParams,
        body: WebhookInput,
        response: { 201: WithSecret, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createWebhook(deps, companyInScope(request.admin, request.params.companyId), request.body)),
  );

  scope.get(
    '/admin/companies/:companyId/webhooks',
    {
      schema: {
        tags,
        security,
        summary: 'List webhook destinations',
        params: CompanyParams,
        response: { 200: Type.Array(WebhookView), ...errors(401, 403, 404) },
      },
    },
    async (request) => listWebhooks(deps, companyInScope(request.admin, request.params.companyId)),
  );

  scope.get(
    '/admin/companies/:companyId/delivery-health',
    {
      schema: {
        tags,
        security,
        summary: "A company's delivery health",
        description:
          'Every destination with its health, why it fails or was disabled, and how many messages wait for it: what the admin page shows the company.',
        params: CompanyParams,
        response: { 200: DeliveryHealthView, ...errors(401, 403, 404) },
      },
    },
    async (request) => deliveryHealth(deps, companyInScope(request.admin, request.params.companyId)),
  );

  scope.get(
    '/admin/webhooks/:webhookId',
    {
      schema: {
        tags,
        security,
        summary: 'Get a webhook destination',
        params: WebhookParams,
        response: { 200: WebhookView, ...errors(401, 403, 404) },
      },
    },
    async (request) => webhookView(await webhook(request, request.params.webhookId)),
  );

  scope.patch(
    '/admin/webhooks/:webhookId',
    {
      schema: {
        tags,
        security,
        summary: 'Change a webhook destination',
        description:
          'Enabling a destination that was disabled for failing clears its failure record. Disabling it fails the messages waiting for it.',
        params: WebhookParams,
        body: WebhookPatch,
        response: { 200: WebhookView, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => updateWebhook(deps, await webhook(request, request.params.webhookId), request.body),
  );

  scope.delete(
    '/admin/webhooks/:webhookId',
    {
      schema: {
        tags,
        security,
        summary: 'Delete a webhook destination',
        description: 'Messages waiting for it fail.',
        params: WebhookParams,
        response: { 204: Type.Null(), ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await removeWebhook(deps, await webhook(request, request.params.webhookId));
      return reply.code(204).send(null);
    },
  );

  scope.post(
    '/admin/webhooks/:webhookId/secret/rotate',
    {
      schema: {
        tags,
        security,
        summary: "Rotate a destination's signing secret",
        description:
          'A new secret signs from now on; the previous ones sign alongside it for `overlapSeconds` (default one day), so receivers accept messages whichever secret they hold.',
        params: WebhookParams,
        body: Type.Optional(RotationInput),
        response: { 200: WithSecret, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => rotateWebhookSecret(deps, await webhook(request, request.params.webhookId), request.body ?? {}),
  );

  scope.post(
    '/admin/webhooks/:webhookId/secret/revoke-previous',
    {
      schema: {
        tags,
        security,
        summary: 'Stop signing with previous secrets',
        description: 'Ends a rotation overlap now, for instance after a leak: only the newest secret signs.',
        params: WebhookParams,
        response: { 200: WebhookView, ...errors(401, 403, 404) },
      },
    },
    async (request) => revokeOlderSecrets(deps, await webhook(request, request.params.webhookId)),
  );

  scope.post(
    '/admin/webhooks/:webhookId/receipt-secret',
    {
      schema: {
        tags,
        security,
        summary: 'Accept receipts for a destination',
        description:
          "Sets the whsec_ secret (generated unless given) the push server signs its receipts with, replacing any earlier one, and answers it once with the receipt URL; give both to the push server's source (PUT /admin/apps/{appId}/sources/{sourceId}/receipts).",
        params: WebhookParams,
        body: Type.Optional(Type.Object({ secret: Type.Optional(Secret) }, { additionalProperties: false })),
        response: {
          200: Type.Object({ webhookId: Type.String(), receiptUrl: Type.String(), receiptSecret: Type.String() }),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (request) => {
      const target = await webhook(request, request.params.webhookId);
      const receiptUrl = `${request.protocol}://${request.host}/v2/receipts/${encodeURIComponent(target.id)}`;
      return setReceiptSecret(deps, target, receiptUrl, request.body?.secret);
    },
  );
}
