/** Admin routes of the message log. */
import { Type } from 'typebox';
import type { HttpServer } from '../../platform/http/server.js';
import type { QueueServiceDeps } from '../deps.js';
import type { Auth } from '../http/auth.js';
import { Id, Query, Security, errors } from '../http/schemas.js';
import { inspectMessage, listMessagesFor } from './messages.js';

const Status = Type.Enum(['pending', 'delivering', 'delivered', 'failed', 'expired', 'superseded']);
const Time = Type.String({ format: 'date-time' });

const MessageFields = {
  id: Id, companyId: Id, ticketId: Id, queueId: Id, channel: Type.String(), destinationId: Type.Union([Id, Type.Null()]),
  recipient: Type.String(), action: Type.String(), ticketVersion: Type.Integer(), status: Type.String(), body: Type.Unknown(),
  createdAt: Time, deliverBy: Time, nextAttemptAt: Time, attemptCount: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()]), deliveredAt: Type.Union([Time, Type.Null()]),
};
export const MessageView = Type.Object(MessageFields);
export const AttemptView = Type.Object({
  id: Id, startedAt: Time, durationMs: Type.Integer(), statusCode: Type.Union([Type.Integer(), Type.Null()]), outcome: Type.String(),
  responseExcerpt: Type.Union([Type.String(), Type.Null()]), error: Type.Union([Type.String(), Type.Null()]),
});

export const MessageListQuery = Query({
  ticketId: Type.Optional(Id),
  status: Type.Optional(Status),
  destinationId: Type.Optional(Id),
  channel: Type.Optional(Type.Union([Type.Literal('webhook'), Type.Literal('sms'), Type.Literal('email')])),
  companyId: Type.Optional(Id),
  from: Type.Optional(Time),
  to: Type.Optional(Time),
  before: Type.Optional(Id),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
});

export function registerMessageRoutes(app: HttpServer, deps: QueueServiceDeps, auth: Auth): void {
  const tags = ['admin'];
  const security = Security.admin;

  app.get('/admin/messages', {
    schema: {
      tags, security, summary: 'List messages', description: 'Newest first; page with `before` = the last id of the previous page.',
      querystring: MessageListQuery, response: { 200: Type.Object({ messages: Type.Array(MessageView) }), ...errors(400, 401, 403) },
    },
  }, async (request) => {
    const { from, to, limit, key: _key, ...filter } = request.query;
    const messages = await listMessagesFor(deps, await auth.admin(request), {
      ...filter, limit: limit ?? 100,
      from: from ? Date.parse(from) : undefined, to: to ? Date.parse(to) : undefined,
    });
    return { messages };
  });

  app.get('/admin/messages/:messageId', {
    schema: {
      tags, security, summary: 'Inspect a message with its attempts', params: Type.Object({ messageId: Id }),
      response: { 200: Type.Object({ ...MessageFields, attempts: Type.Array(AttemptView) }), ...errors(401, 403, 404) },
    },
  }, async (request) => inspectMessage(deps, await auth.admin(request), request.params.messageId));
}
