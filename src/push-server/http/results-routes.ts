/**
 * Results by pushId (docs/design.md §Routes): what became of each message and push, for the pushId's
 * owner or the admin. A page may call it (PushClient.pushes), so the group answers CORS as step ① does.
 */
import { Type } from 'typebox';
import { routeGroup } from '../../platform/http/route-group.js';
import type { HttpServer } from '../../platform/http/server.js';
import type { PushDeps } from '../deps.js';
import { pushesOfPushId } from '../push/results.js';
import { allowBrowsers } from './browser-cors.js';
import { limitPerAddress, requirePushesReader } from './callers.js';
import { LimitQuery, MessageViewSchema, PushIdParams, errors } from './schemas.js';

const Results = Type.Object({ pushId: Type.String(), messages: Type.Array(MessageViewSchema) });

export async function registerResultsRoutes(app: HttpServer, deps: PushDeps): Promise<void> {
  await routeGroup(app, (scope) => {
    allowBrowsers(scope);
    limitPerAddress(scope, deps);
    requirePushesReader(scope, deps);
    resultsRoute(scope, deps);
  });
}

function resultsRoute(scope: HttpServer, deps: PushDeps): void {
  scope.get(
    '/v1/push-ids/:pushId/pushes',
    {
      schema: {
        tags: ['results'],
        security: [{ pushIdSecret: [] }, { adminToken: [] }],
        summary: 'Pushes of a pushId',
        description:
          "Messages received for the pushId, newest first, each with the push to every device: status (pending, delivered, expired, failed, token_gone, rejected, superseded, canceled), attempts and the provider's last answer. The admin also sees messages for pushIds that have no devices.",
        params: PushIdParams,
        querystring: LimitQuery,
        response: { 200: Results, ...errors(400, 401) },
      },
    },
    async (request) => pushesOfPushId(deps.db, request.pushesReader.appId, request.pushesReader.pushId, request.query.limit ?? 50),
  );
}
