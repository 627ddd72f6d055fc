/** Results by pushId (docs/design.md §Routes): what became of each message and push, for the pushId's owner or the admin. */
import { Type } from 'typebox';
import type { HttpServer } from '../../platform/http/server.js';
import type { PushDeps } from '../deps.js';
import { pushesOfPushId } from '../push/results.js';
import { isAdmin, requirePushIdSecret } from './auth.js';
import { LimitQuery, MessageViewSchema, PushIdParams, errors } from './schemas.js';

const Results = Type.Object({ pushId: Type.String(), messages: Type.Array(MessageViewSchema) });

export function registerResultsRoutes(app: HttpServer, deps: PushDeps): void {
  app.get('/v1/push-ids/:pushId/pushes', {
    schema: {
      tags: ['results'], security: [{ pushIdSecret: [] }, { adminToken: [] }],
      summary: 'Pushes of a pushId',
      description: 'Messages received for the pushId, newest first, each with the push to every device: status (pending, delivered, expired, failed, token_gone, rejected, superseded, canceled), attempts and the provider\'s last answer. The admin also sees messages for pushIds that have no devices.',
      params: PushIdParams, querystring: LimitQuery, response: { 200: Results, ...errors(400, 401) },
    },
  }, async (request) => {
    const limit = request.query.limit ?? 50;
    if (isAdmin(deps, request)) return pushesOfPushId(deps.db, null, request.params.pushId, limit);
    const owner = await requirePushIdSecret(deps, request.params.pushId, request);
    return pushesOfPushId(deps.db, owner.app_id, owner.push_id, limit);
  });
}
