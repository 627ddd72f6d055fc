/**
 * Analytics routes, inside the admin group (docs/design.md §Analytics): a place's figures as JSON
 * for the admin page's charts, and as CSV for a spreadsheet.
 */
import type { FastifyRequest } from 'fastify';
import { Type, type TSchema } from 'typebox';
import type { HttpServer } from '../../platform/http/server.js';
import type { QueueServiceDeps } from '../deps.js';
import { ownedBy } from '../http/admin-scope.js';
import { Id, Query, Security, errors } from '../http/schemas.js';
import { findPlace } from '../db/queries/places.js';
import { placeAnalytics, placeAnalyticsCsv } from './report.js';

const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'A local day of the place, YYYY-MM-DD (included).' });
const AnalyticsQuery = Query({
  from: Type.Optional(Day),
  to: Type.Optional(Day),
  queueId: Type.Optional(Id),
  endpointId: Type.Optional(Id),
});
const Seconds = Type.Union([Type.Integer(), Type.Null()]);
const figures = {
  visits: Type.Integer({ description: 'Tickets that joined the line (booked, or with an appointment) that day' }),
  served: Type.Integer(),
  noShows: Type.Integer(),
  canceled: Type.Integer(),
  waitP50Seconds: Seconds,
  waitP90Seconds: Seconds,
  averageServiceSeconds: Seconds,
};
const withFigures = (properties: Record<string, TSchema>) => Type.Object({ ...properties, ...figures });
const PlaceAnalyticsView = Type.Object({
  placeId: Type.String(),
  timeZone: Type.String(),
  from: Type.String(),
  to: Type.String(),
  queueId: Type.Union([Type.String(), Type.Null()]),
  endpointId: Type.Union([Type.String(), Type.Null()]),
  totals: Type.Object(figures),
  days: Type.Array(withFigures({ day: Type.String() })),
  hours: Type.Array(withFigures({ hour: Type.Integer({ minimum: 0, maximum: 23 }) })),
  queues: Type.Array(withFigures({ queueId: Type.String(), name: Type.String() })),
  counters: Type.Array(withFigures({ endpointId: Type.String(), name: Type.String() })),
  waits: Type.Array(
    Type.Object({ fromMinutes: Type.Integer(), toMinutes: Type.Union([Type.Integer(), Type.Null()]), tickets: Type.Integer() }),
    { description: 'Called tickets per band of minutes waited; the last band is open-ended.' },
  ),
});

export function registerAnalyticsRoutes(scope: HttpServer, deps: QueueServiceDeps): void {
  const tags = ['admin'];
  const place = async (request: FastifyRequest, placeId: string) =>
    ownedBy(request.admin, await findPlace(deps.database.db, placeId), 'PLACE_NOT_FOUND');
  const description =
    "Days are the place's local days, both ends included (today when absent), at most 367. A ticket counts on the day and hour it joined the line: its booking, or its appointment's time. Waits run to the first call.";

  scope.get(
    '/admin/places/:placeId/analytics',
    {
      schema: {
        tags,
        security: Security.admin,
        summary: "A place's visits, waits and service times per day, hour, queue and counter",
        description,
        params: Type.Object({ placeId: Id }),
        querystring: AnalyticsQuery,
        response: { 200: PlaceAnalyticsView, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => placeAnalytics(deps, await place(request, request.params.placeId), request.query),
  );

  scope.get(
    '/admin/places/:placeId/analytics.csv',
    {
      schema: {
        tags,
        security: Security.admin,
        summary: "A place's figures as CSV, a line per day, queue and counter",
        description,
        params: Type.Object({ placeId: Id }),
        querystring: AnalyticsQuery,
        produces: ['text/csv'],
        response: { 200: Type.String({ description: 'text/csv' }), ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const found = await place(request, request.params.placeId);
      const csv = await placeAnalyticsCsv(deps, found, request.query);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="analytics-${found.id}.csv"`)
        .send(csv);
    },
  );
}
