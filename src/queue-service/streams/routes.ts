/**
 * Server-sent event streams of the booking side (docs/design.md §Routes). Every event has an id (a ticket_events
 * id); a client reconnecting with Last-Event-ID (header, or `lastEventId` for clients that cannot
 * set it) gets a fresh snapshot listing what it missed. Heartbeat comments keep proxies from closing
 * idle streams. Clients that cannot send headers (EventSource) may pass `?key=` and `?token=`.
 * Event types and payloads: streams/payloads.ts.
 */
import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../contract/errors.js';
import { routeGroup } from '../../platform/http/route-group.js';
import { allowBookingBrowsers } from '../http/browser-cors.js';
import type { HttpServer } from '../../platform/http/server.js';
import type { QueueServiceDeps } from '../deps.js';
import type { Auth } from '../http/auth.js';
import { requireBookingKey, requireQueueWatcher, requireUser } from '../http/callers.js';
import { Id, Query, Security, errors } from '../http/schemas.js';
import { findPlaceForCompany } from '../db/queries/places.js';
import { findQueueForCompany, listQueuesForPlace } from '../db/queries/queues.js';
import { listTicketsForUser } from '../db/queries/tickets.js';
import { userTicket } from '../booking/user-tickets.js';
import type { StreamHub } from './hub.js';
import { SseStream } from './sse.js';
import type { StreamOwners } from './stream-limits.js';

const MAX_QUEUES = 50;
const tags = ['booking'];

const StreamQuery = Query({
  token: Type.Optional(Type.String({ maxLength: 4000, description: 'The user token, for clients that cannot send Authorization.' })),
  lastEventId: Type.Optional(Type.String({ maxLength: 20, description: 'As the Last-Event-ID header.' })),
});

const eventStream = { 200: Type.String({ description: 'text/event-stream' }) };

/** The Last-Event-ID a client resumes from, or null for a fresh start. */
export function lastEventIdOf(request: FastifyRequest): number | null {
  const header = request.headers['last-event-id'];
  const query = (request.query as { lastEventId?: string }).lastEventId;
  const raw = (typeof header === 'string' ? header : undefined) ?? query;
  if (raw === undefined || raw.trim() === '') return null;
  if (!/^\d{1,15}$/.test(raw.trim()))
    throw new AppError('VALIDATION_FAILED', 'Last-Event-ID must be an event id this service sent.', [
      { field: 'headers.last-event-id', problem: 'not an event id' },
    ]);
  return Number(raw.trim());
}

/**
 * Counts the stream against its owners' limits (429 past one, streams/stream-limits.ts), then takes
 * over the response: from here on only stream events are written.
 */
export function openStream(reply: FastifyReply, hub: StreamHub, owners: Omit<StreamOwners, 'address'> = {}): SseStream {
  const release = hub.limits.take({ ...owners, address: reply.request.ip });
  // The hijacked response writes its own head: carry over what hooks set (CORS).
  const cors = reply.getHeader('access-control-allow-origin');
  reply.hijack();
  const stream = new SseStream(reply.raw, typeof cors === 'string' ? { 'access-control-allow-origin': cors } : {});
  stream.onClose(release);
  return stream;
}

/** Three sub-groups, one per credential: a person's tickets, queue states, the queues of a place. */
export async function registerStreamRoutes(app: HttpServer, deps: QueueServiceDeps, auth: Auth, hub: StreamHub): Promise<void> {
  await routeGroup(app, (scope) => {
    allowBookingBrowsers(scope);
    requireUser(scope, auth, { tokenInQuery: true });
    userStreams(scope, deps, auth, hub);
  });
  await routeGroup(app, (scope) => {
    allowBookingBrowsers(scope);
    requireQueueWatcher(scope, auth);
    queueStateStream(scope, deps, auth, hub);
  });
  await routeGroup(app, (scope) => {
    allowBookingBrowsers(scope);
    requireBookingKey(scope, auth);
    placeStream(scope, deps, hub);
  });
}

/** A user's or operator's stream ends when the session of its token ends (docs/design.md §Credentials). */
function sessionStream(
  reply: FastifyReply,
  auth: Auth,
  hub: StreamHub,
  sessionId: string | null,
  owners: Omit<StreamOwners, 'address'>,
): SseStream {
  const stream = openStream(reply, hub, owners);
  if (sessionId) stream.onClose(auth.onSessionEnd(sessionId, () => stream.close()));
  return stream;
}

function userStreams(scope: HttpServer, deps: QueueServiceDeps, auth: Auth, hub: StreamHub): void {
  const db = deps.database.db;

  scope.get(
    '/v2/user/tickets/sse',
    {
      schema: {
        tags,
        security: Security.user,
        summary: "Live stream of the user's tickets",
        description:
          'Events: `ticket` {ticket, changes} for each ticket on connect and on every change (tickets booked later included); `position` {ticketId, ticketPosition, timeline:{estimatedFor}} when the line moves.',
        querystring: StreamQuery,
        response: { ...eventStream, ...errors(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      const lastEventId = lastEventIdOf(request);
      const tickets = await listTicketsForUser(db, request.user.userId);
      await hub.watchTickets(
        sessionStream(reply, auth, hub, request.user.sessionId, { userId: request.user.userId }),
        tickets,
        request.user.userId,
        lastEventId,
      );
    },
  );

  scope.get(
    '/v2/user/tickets/:ticketId/sse',
    {
      schema: {
        tags,
        security: Security.user,
        summary: 'Live stream of one ticket',
        description: 'Events: `ticket` {ticket, changes} on connect and on every change; `position` when the line moves.',
        params: Type.Object({ ticketId: Id }),
        querystring: StreamQuery,
        response: { ...eventStream, ...errors(400, 401, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      const lastEventId = lastEventIdOf(request);
      const ticket = await userTicket(db, request.user.userId, request.params.ticketId);
      await hub.watchTickets(
        sessionStream(reply, auth, hub, request.user.sessionId, { userId: request.user.userId }),
        [ticket],
        null,
        lastEventId,
      );
    },
  );
}

function queueStateStream(scope: HttpServer, deps: QueueServiceDeps, auth: Auth, hub: StreamHub): void {
  const db = deps.database.db;

  scope.get(
    '/v2/queues/state/sse',
    {
      schema: {
        tags,
        security: [...Security.key, ...Security.operator],
        summary: 'Live state of queues',
        description:
          'Event `state` (as GET /v2/queues/{queueId}/state) for each queue on connect and whenever it changes. A booking key or an operator token.',
        querystring: Query({
          queueIds: Type.String({
            pattern: '^[A-Za-z0-9_-]+(,[A-Za-z0-9_-]+)*$',
            maxLength: 3300,
            description: `Comma-separated, at most ${MAX_QUEUES}.`,
          }),
          lastEventId: Type.Optional(Type.String({ maxLength: 20 })),
        }),
        response: { ...eventStream, ...errors(400, 401, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      const { companyId, sessionId } = request.queueWatcher;
      lastEventIdOf(request);
      const queueIds = [...new Set(request.query.queueIds.split(','))];
      if (queueIds.length > MAX_QUEUES) throw new AppError('VALIDATION_FAILED', `At most ${MAX_QUEUES} queues per stream.`);
      for (const queueId of queueIds) {
        if (!(await findQueueForCompany(db, companyId, queueId))) throw new AppError('QUEUE_NOT_FOUND', `No queue ${queueId}.`);
      }
      const { operator } = request.queueWatcher;
      const stream = sessionStream(reply, auth, hub, sessionId, { operatorId: operator?.operatorId });
      // A desk's stream ends once its operator's token is withdrawn (docs/security.md §Tokens).
      if (operator) hub.recheckWhileOpen(stream, () => auth.operatorTokenCurrent(operator));
      await hub.watchQueueStates(stream, queueIds);
    },
  );
}

function placeStream(scope: HttpServer, deps: QueueServiceDeps, hub: StreamHub): void {
  const db = deps.database.db;

  scope.get(
    '/v2/places/:placeId/queuesStates/sse',
    {
      schema: {
        tags,
        security: Security.key,
        summary: 'Live state of every queue of a place',
        description: 'Event `state` for each queue of the place on connect and whenever one changes.',
        params: Type.Object({ placeId: Id }),
        querystring: Query({ lastEventId: Type.Optional(Type.String({ maxLength: 20 })) }),
        response: { ...eventStream, ...errors(400, 401, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      const { companyId } = request.companyKey;
      lastEventIdOf(request);
      if (!(await findPlaceForCompany(db, companyId, request.params.placeId))) throw new AppError('PLACE_NOT_FOUND');
      const queues = await listQueuesForPlace(db, companyId, request.params.placeId);
      await hub.watchQueueStates(
        openStream(reply, hub),
        queues.map((queue) => queue.id),
      );
    },
  );
}
