/** Display API (docs/design.md §Routes): the counters of a place and the live stream of called tickets, for a screen (booking key). */
import { Type } from 'typebox';
import { routeGroup } from '../../platform/http/route-group.js';
import { allowBookingBrowsers } from '../http/browser-cors.js';
import type { HttpServer } from '../../platform/http/server.js';
import type { QueueServiceDeps } from '../deps.js';
import type { Auth } from '../http/auth.js';
import { requireBookingKey } from '../http/callers.js';
import { Id, KeyOnlyQuery, Query, Security, errors } from '../http/schemas.js';
import { localDay, wallTimeToInstant } from '../appointments/zoned-time.js';
import type { StreamHub } from '../streams/hub.js';
import { lastEventIdOf, openStream } from '../streams/routes.js';
import { displayPlace, placeCounters } from './counters.js';
import { placeEndpoints, queuesEndpoints } from './endpoints.js';
import { boardFilterOf } from './ticket-board.js';

const PlaceParams = Type.Object({ placeId: Id });
const Current = Type.Object({
  ticketId: Id,
  label: Type.String(),
  queueId: Id,
  calledAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  recallCount: Type.Integer(),
  priority: Type.Boolean({ description: 'A priority ticket: boards mark it.' }),
});
const CountersView = Type.Object({
  placeId: Id,
  name: Type.String(),
  names: Type.Record(Type.String(), Type.String(), { description: "The place's names per locale, beside its default name." }),
  timeZone: Type.String(),
  lang: Type.String(),
  endpoints: Type.Array(
    Type.Object({
      id: Id,
      name: Type.String(),
      names: Type.Record(Type.String(), Type.String()),
      isOpen: Type.Boolean(),
      queueIds: Type.Array(Id),
      current: Type.Union([Current, Type.Null()]),
    }),
  ),
});

export async function registerDisplayRoutes(app: HttpServer, deps: QueueServiceDeps, auth: Auth, hub: StreamHub): Promise<void> {
  await routeGroup(app, (scope) => {
    allowBookingBrowsers(scope);
    requireBookingKey(scope, auth);
    displayRoutes(scope, deps, hub);
  });
}

function displayRoutes(scope: HttpServer, deps: QueueServiceDeps, hub: StreamHub): void {
  const tags = ['display'];

  scope.get(
    '/v2/display/places/:placeId/endpoints',
    {
      schema: {
        tags,
        security: Security.key,
        summary: 'The counters of a place, for a screen',
        description: 'Each counter with its names per locale, whether it is open, and the ticket it is calling now.',
        params: PlaceParams,
        querystring: KeyOnlyQuery,
        response: { 200: CountersView, ...errors(401, 403, 404, 429) },
      },
    },
    async (request) => placeCounters(deps, request.companyKey.companyId, request.params.placeId),
  );

  const EndpointsView = Type.Record(
    Type.String(),
    Type.Object({
      endpointId: Id,
      placeId: Id,
      name: Type.Record(Type.String(), Type.String(), { description: 'Names per locale, every built-in locale included.' }),
      queueIds: Type.Array(Id),
      isOpen: Type.Boolean(),
    }),
    { description: 'Counters (endpoints), keyed by endpointId.' },
  );

  scope.get(
    '/v2/queues/endpoints',
    {
      schema: {
        tags,
        security: Security.key,
        summary: "The counters of the company's queues, with their names in every locale",
        description: 'Lineberty Display: keyed by endpointId; queueIds (comma-separated) keeps the counters serving one of them.',
        querystring: Query({ queueIds: Type.Optional(Type.String({ maxLength: 2000, pattern: '^[A-Za-z0-9_,-]*$' })) }),
        response: { 200: EndpointsView, ...errors(400, 401, 403, 429) },
      },
    },
    async (request) => {
      const only = request.query.queueIds ? request.query.queueIds.split(',').filter(Boolean) : null;
      return queuesEndpoints(deps, request.companyKey.companyId, only);
    },
  );

  scope.get(
    '/v2/places/:placeId/endpoints',
    {
      schema: {
        tags,
        security: Security.key,
        summary: 'The counters of a place, with their names in every locale',
        description: 'Lineberty Display: keyed by endpointId.',
        params: PlaceParams,
        querystring: KeyOnlyQuery,
        response: { 200: EndpointsView, ...errors(401, 403, 404, 429) },
      },
    },
    async (request) => placeEndpoints(deps, request.companyKey.companyId, request.params.placeId),
  );

  scope.get(
    '/v2/display/places/:placeId/calls/sse',
    {
      schema: {
        tags,
        security: Security.key,
        summary: 'Live stream of called tickets at a place',
        description:
          "Event `call` {ticketId, label, queue:{queueId, name:{<locale>: text}}, endpoint:{endpointId, name:{<locale>: text}}, calledAt, recall, recallCount} for each call and recall; on connect, today's latest calls, or every call since Last-Event-ID. Event `counters` {placeId} when a counter of the place opens or closes: read …/endpoints again.",
        params: PlaceParams,
        querystring: Query({ lastEventId: Type.Optional(Type.String({ maxLength: 20 })) }),
        response: { 200: Type.String({ description: 'text/event-stream' }), ...errors(400, 401, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      const lastEventId = lastEventIdOf(request);
      const place = await displayPlace(deps, request.companyKey.companyId, request.params.placeId);
      const startOfDay = wallTimeToInstant(localDay(deps.clock.now(), place.time_zone), 0, place.time_zone);
      await hub.watchDisplay(openStream(reply, hub), place.id, lastEventId, startOfDay);
    },
  );

  const TicketsStreamQuery = Query({
    lastEventId: Type.Optional(Type.String({ maxLength: 20 })),
    endpointId: Type.Optional(Id),
    queueIds: Type.Optional(Type.String({ maxLength: 2000, pattern: '^[A-Za-z0-9_,-]*$' })),
  });
  const ticketsDescription =
    "Lineberty Display's tickets stream. Event `ticket`: the ticket as GET /v2/user/tickets shows it, less userData, notifications, source and rating (a screen is public); names in the ticket's language, `endpoint.names` in every locale. On connect, the tickets waiting, called, on hold or in progress (at most 500; appointments of later days left out); with Last-Event-ID, every ticket changed since, as it is now; then each change of a ticket shown, its end (600, 700, 400) included. `endpointId` keeps the tickets called to that counter (a screen above it); `queueIds` (comma-separated) some queues of the place. Positions and estimates are those of each ticket's own last change.";

  scope.get(
    '/v2/places/:placeId/tickets/sse',
    {
      schema: {
        tags,
        security: Security.key,
        summary: 'Live stream of the tickets of a place, for screens',
        description: ticketsDescription,
        params: PlaceParams,
        querystring: TicketsStreamQuery,
        response: { 200: Type.String({ description: 'text/event-stream' }), ...errors(400, 401, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      const lastEventId = lastEventIdOf(request);
      const { filter, endOfDay } = await boardFilterOf(deps, request.companyKey.companyId, {
        ...request.query,
        placeId: request.params.placeId,
      });
      await hub.watchBoardTickets(openStream(reply, hub), filter, lastEventId, endOfDay);
    },
  );

  scope.get(
    '/v2/queues/:queueId/tickets/sse',
    {
      schema: {
        tags,
        security: Security.key,
        summary: 'Live stream of the tickets of a queue, for screens',
        description: `As /v2/places/{placeId}/tickets/sse for one queue. ${ticketsDescription}`,
        params: Type.Object({ queueId: Id }),
        querystring: Query({ lastEventId: Type.Optional(Type.String({ maxLength: 20 })), endpointId: Type.Optional(Id) }),
        response: { 200: Type.String({ description: 'text/event-stream' }), ...errors(400, 401, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      const lastEventId = lastEventIdOf(request);
      const { filter, endOfDay } = await boardFilterOf(deps, request.companyKey.companyId, {
        ...request.query,
        queueId: request.params.queueId,
      });
      await hub.watchBoardTickets(openStream(reply, hub), filter, lastEventId, endOfDay);
    },
  );
}
