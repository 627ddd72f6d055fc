/**
 * Receipts over HTTP (docs/design.md §Receipts): `POST /v2/receipts/{webhookId}`. The body is read
 * raw, since the signature covers the exact bytes; the group has no credential hook, because the
 * signature is the credential and receiveReceipt checks it before reading the body.
 */
import { Type } from 'typebox';
import { routeGroup } from '../../platform/http/route-group.js';
import type { HttpServer } from '../../platform/http/server.js';
import type { QueueServiceDeps } from '../deps.js';
import { errors } from '../http/schemas.js';
import { receiveReceipt } from './receive.js';

const Received = Type.Object({
  received: Type.Literal(true),
  duplicate: Type.Boolean({ description: 'Every receipt (by its id) was received before; nothing new was written.' }),
  fallback: Type.Union([
    Type.Object({
      decision: Type.String(),
      reason: Type.String(),
      channel: Type.Union([Type.String(), Type.Null()]),
      fallbackMessageId: Type.Union([Type.String(), Type.Null()]),
    }),
    Type.Null(),
  ]),
});

export async function registerReceiptRoutes(app: HttpServer, deps: QueueServiceDeps): Promise<void> {
  await routeGroup(app, (scope) => {
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    scope.post(
      '/v2/receipts/:webhookId',
      {
        schema: {
          tags: ['receipts'],
          summary: 'Receive a delivery receipt',
          description:
            "What the push server reports about a message of this destination: {type: 'push.receipt', webhookId, outcome: pushed|failed|token_invalid|no_devices|unknown_push_id|expired, deviceId, provider, providerMessageId, reason, devices, at} or {type: 'device.invalidated', …}. Or {type: 'receipt.batch', receipts: [{id, …receipt}]} with up to 100, each with its own id. Signed per Standard Webhooks with the destination's receipt secret. A message of another destination or company, or an unknown webhookId, is 404 MESSAGE_NOT_FOUND and nothing is recorded (for a batch: none of it); a repeated receipt id is not recorded twice.",
          params: Type.Object({ webhookId: Type.String({ minLength: 1, maxLength: 100 }) }),
          response: { 200: Received, ...errors(400, 401, 404, 413, 415) },
        },
      },
      async (request) => {
        const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        return receiveReceipt(deps, request.params.webhookId, request.headers, body);
      },
    );
  });
}
