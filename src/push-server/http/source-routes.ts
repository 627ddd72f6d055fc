/**
 * Admin API of sources (docs/design.md §Routes): the senders of an app's messages. The answer to a creation
 * carries the secret (once) and the ingest URL to give the sender.
 */
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { HttpServer } from '../../platform/http/server.js';
import { clearSourceReceipts, setSourceReceipts } from '../apps/source-receipts.js';
import { createSource, listSources, removeSource, rotateSourceSecret } from '../apps/sources.js';
import type { PushDeps } from '../deps.js';
import { AppParams, NoContent, SourceParams, SourceViewSchema, errors } from './schemas.js';

const CreateSourceBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    mode: Type.Optional(
      Type.Union([Type.Literal('signature'), Type.Literal('token')], {
        description: 'signature (default): Standard Webhooks with a whsec_ secret; token: a bearer token for senders that cannot sign.',
      }),
    ),
    secret: Type.Optional(
      Type.String({
        maxLength: 200,
        description:
          'A signature source only: the sender’s own whsec_ secret (24 to 64 bytes) instead of a new one, so one sender, signing once, is a source of several apps and can post to POST /v1/messages for all of them.',
      }),
    ),
  },
  { additionalProperties: false },
);
const CreatedSource = Type.Object({ sourceId: Type.String(), secret: Type.String(), mode: Type.String(), ingestUrl: Type.String() });

const ReceiptTargetBody = Type.Object(
  {
    url: Type.String({
      minLength: 1,
      maxLength: 2000,
      description: "The sender's receipt route, e.g. the queue service's /v2/receipts/{webhookId}.",
    }),
    secret: Type.Optional(Type.String({ description: 'The whsec_ secret the receiver gave; generated when absent.' })),
  },
  { additionalProperties: false },
);
const ReceiptTarget = Type.Object({ sourceId: Type.String(), receiptUrl: Type.String(), receiptSecret: Type.String() });

const admin = { tags: ['admin'], security: [{ adminToken: [] }] };

/** Where the sender must post: the public URL when one is set (QUEUEBELL_PUSH_PUBLIC_URL), else this server as the admin reached it. */
function ingestUrlOf(request: FastifyRequest, deps: PushDeps, appId: string): string {
  const base = deps.http.publicUrl ?? `${request.protocol}://${request.host}`;
  return `${base}/v1/apps/${encodeURIComponent(appId)}/messages`;
}

/** Inside the admin group (app.ts), whose hook checks the admin token. */
export function registerSourceRoutes(scope: HttpServer, deps: PushDeps): void {
  scope.post(
    '/admin/apps/:appId/sources',
    {
      schema: {
        ...admin,
        summary: 'Create a source',
        description:
          'A sender of messages into this app. Signature sources sign with the returned whsec_ secret (Standard Webhooks), new or the one given; token sources send it as Authorization: Bearer.',
        params: AppParams,
        body: CreateSourceBody,
        response: { 201: CreatedSource, ...errors(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const created = await createSource(deps, request.params.appId, request.body.name, request.body.mode, request.body.secret);
      return reply.code(201).send({ ...created, ingestUrl: ingestUrlOf(request, deps, request.params.appId) });
    },
  );

  scope.get(
    '/admin/apps/:appId/sources',
    {
      schema: {
        ...admin,
        summary: 'List sources',
        description: 'Names and modes; never a secret.',
        params: AppParams,
        response: { 200: Type.Object({ sources: Type.Array(SourceViewSchema) }), ...errors(401, 404) },
      },
    },
    async (request) => ({ sources: await listSources(deps, request.params.appId) }),
  );

  scope.post(
    '/admin/apps/:appId/sources/:sourceId/rotate-secret',
    {
      schema: {
        ...admin,
        summary: 'Rotate a source secret',
        description: 'Returns a new secret; the previous ones stay valid for 24 hours so the sender can switch without losing a message.',
        params: SourceParams,
        response: {
          200: Type.Object({ sourceId: Type.String(), secret: Type.String(), previousValidUntil: Type.String() }),
          ...errors(401, 404, 409),
        },
      },
    },
    async (request) => rotateSourceSecret(deps, request.params.appId, request.params.sourceId),
  );

  scope.delete(
    '/admin/apps/:appId/sources/:sourceId',
    {
      schema: {
        ...admin,
        summary: 'Delete a source',
        description: 'Its secrets stop working at once in this process, within seconds in others.',
        params: SourceParams,
        response: { 204: NoContent, ...errors(401, 404) },
      },
    },
    async (request, reply) => {
      await removeSource(deps, request.params.appId, request.params.sourceId);
      return reply.code(204).send(null);
    },
  );

  scope.put(
    '/admin/apps/:appId/sources/:sourceId/receipts',
    {
      schema: {
        ...admin,
        summary: "Send a source's receipts",
        description:
          'From now on, what becomes of each message of this source (pushed, failed, token invalid, no devices, unknown pushId, expired) and each device removed is POSTed to the URL, signed per Standard Webhooks with the secret.',
        params: SourceParams,
        body: ReceiptTargetBody,
        response: { 200: ReceiptTarget, ...errors(400, 401, 404) },
      },
    },
    async (request) => setSourceReceipts(deps, request.params.appId, request.params.sourceId, request.body),
  );

  scope.delete(
    '/admin/apps/:appId/sources/:sourceId/receipts',
    {
      schema: {
        ...admin,
        summary: "Stop a source's receipts",
        description: 'No new receipts are written; those already waiting are still sent.',
        params: SourceParams,
        response: { 204: NoContent, ...errors(401, 404) },
      },
    },
    async (request, reply) => {
      await clearSourceReceipts(deps, request.params.appId, request.params.sourceId);
      return reply.code(204).send(null);
    },
  );
}
