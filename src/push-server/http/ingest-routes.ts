/**
 * Step ③ over HTTP: `POST /v1/apps/{appId}/messages`, and `POST /v1/messages`, which finds the app
 * from the pushId (docs/design.md §Push server). The body is read raw (the signature covers
 * the exact bytes; re-serialised JSON would not verify) and parsed only after the sender is
 * authenticated. 202 means the message and its push jobs are committed. The group has no
 * credential hook: the sender's signature covers those raw bytes, so ingestMessage checks it in
 * its own order (app, sender, body) rather than a hook verifying the HMAC a second time.
 */
import { Type } from 'typebox';
import { routeGroup } from '../../platform/http/route-group.js';
import type { HttpServer } from '../../platform/http/server.js';
import type { PushDeps } from '../deps.js';
import { ingestMessage, ingestMessageByPushId } from '../ingest/ingest.js';
import { AppParams, errors } from './schemas.js';

const SENDER =
  "Body {pushId, message:{action, content, data}} signed with Standard Webhooks headers (webhook-id, webhook-timestamp within ±5 minutes, webhook-signature) by one of the app's sources, or sent with a source token as Authorization: Bearer. Optional deadline: x-queuebell-ttl-ms (milliseconds left after webhook-timestamp, judged on elapsed time so clock skew does not move it) or x-queuebell-deliver-by (RFC 3339); more than 24 hours ahead is refused 400 DEADLINE_TOO_FAR. A deadline already past is answered 202 with status expired_on_arrival: nothing will be pushed. A timestamp outside the window is 401 STALE_TIMESTAMP with details.offsetSeconds (this server's clock minus the timestamp). A repeated webhook-id is answered 202 with duplicate: true.";

const Accepted = Type.Object({
  messageId: Type.String(),
  status: Type.String({ description: 'accepted, unknown_push_id, no_devices or expired_on_arrival' }),
  pushes: Type.Integer({ description: 'Push jobs written, one per device.' }),
  duplicate: Type.Boolean({ description: 'This webhook-id was already received; nothing new was written.' }),
});

export async function registerIngestRoutes(app: HttpServer, deps: PushDeps): Promise<void> {
  await routeGroup(app, (scope) => {
    // Only in this scope: every other route keeps Fastify's JSON parser.
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

    scope.post(
      '/v1/apps/:appId/messages',
      {
        schema: {
          tags: ['ingest'],
          security: [{ webhookSignature: [] }],
          summary: 'Ingest a message',
          description: `${SENDER} An unknown pushId is accepted and recorded.`,
          params: AppParams,
          response: { 202: Accepted, ...errors(400, 401, 404, 413, 415) },
        },
      },
      async (request, reply) => {
        const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        return reply.code(202).send(await ingestMessage(deps, { appId: request.params.appId, headers: request.headers, body }));
      },
    );

    scope.post(
      '/v1/messages',
      {
        schema: {
          tags: ['ingest'],
          security: [{ webhookSignature: [] }],
          summary: 'Ingest a message into the app of its pushId',
          description: `The app is the one holding the pushId (pushIds are unique across the push server); the sender must be one of that app's sources. ${SENDER} A pushId no app holds is answered 202 with status unknown_push_id and nothing is written.`,
          response: { 202: Accepted, ...errors(400, 401, 413, 415) },
        },
      },
      async (request, reply) => {
        const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        return reply.code(202).send(await ingestMessageByPushId(deps, { headers: request.headers, body }));
      },
    );
  });
}
