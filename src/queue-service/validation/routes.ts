/**
 * Validation API (docs/design.md §Routes): what counter staff do — sign in, open the counter, call,
 * serve. Three sub-groups: sign-in (no credential yet, limited per address), the operator's own
 * roles (operator token) and the counter routes (an operator signed in at that counter, or an
 * operator-scoped key).
 */
import { Type } from 'typebox';
import { routeGroup } from '../../platform/http/route-group.js';
import type { HttpServer } from '../../platform/http/server.js';
import type { QueueServiceDeps } from '../deps.js';
import type { Auth } from '../http/auth.js';
import { limitByAddress, requireCounter, requireOperator } from '../http/callers.js';
import { Id, KeyOnlyQuery, Query, Security, errors } from '../http/schemas.js';
import { TicketViewSchema } from '../http/ticket-schema.js';
import { EndpointView, OperatorView } from '../entities/views.js';
import { findOperatorForCompany } from '../db/queries/operators.js';
import { AppError } from '../../contract/errors.js';
import { getCounter, setCounterOpen } from './counter.js';
import { loginAtCounter } from './login.js';
import { OperatorRolesSchema, parseRoles } from '../entities/operator-roles.js';
import { callNext, moveTicket, recallTicket } from './ticket-actions.js';
import { getCounterTicket, listCounterTickets } from './ticket-list.js';
import { setBookingPaused } from './booking-pause.js';
import { counterIndicators } from './indicators.js';
import { QueueStateView } from '../booking/schemas.js';

const EndpointParams = Type.Object({ endpointId: Id });
const TicketParams = Type.Object({ endpointId: Id, ticketId: Id });
const TargetState = Type.Union([200, 300, 400, 500, 600, 700].map((code) => Type.Literal(code)) as [ReturnType<typeof Type.Literal<200>>]);
const security = [...Security.operator, ...Security.key];
const tags = ['validation'];

export async function registerValidationRoutes(app: HttpServer, deps: QueueServiceDeps, auth: Auth): Promise<void> {
  await routeGroup(app, (scope) => {
    limitByAddress(scope, auth);
    signInRoute(scope, deps, auth);
  });
  await routeGroup(app, (scope) => {
    requireOperator(scope, auth);
    operatorRoutes(scope, deps);
  });
  await routeGroup(app, (scope) => {
    requireCounter(scope, auth);
    counterRoutes(scope, deps);
  });
}

function signInRoute(scope: HttpServer, deps: QueueServiceDeps, auth: Auth): void {
  scope.post(
    '/v2/operator/endpoint/:endpointId/login',
    {
      schema: {
        tags,
        summary: 'Sign in at a counter',
        description: 'Returns an operator token valid at this counter for 12 hours.',
        params: EndpointParams,
        body: Type.Object(
          { loginId: Type.String({ minLength: 1, maxLength: 100 }), password: Type.String({ minLength: 1, maxLength: 200 }) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ token: Type.String(), operator: Type.Omit(OperatorView, ['companyId', 'createdAt']), endpoint: EndpointView }),
          ...errors(400, 401, 404, 429),
        },
      },
    },
    async (request) => loginAtCounter(deps, auth, request.params.endpointId, request.body.loginId, request.body.password),
  );
}

function operatorRoutes(scope: HttpServer, deps: QueueServiceDeps): void {
  scope.get(
    '/v2/operator/roles',
    {
      schema: {
        tags,
        security: Security.operator,
        summary: "The signed-in operator's roles",
        response: { 200: OperatorRolesSchema, ...errors(401) },
      },
    },
    async (request) => {
      const operator = await findOperatorForCompany(deps.database.db, request.operator.companyId, request.operator.operatorId);
      if (!operator) throw new AppError('UNAUTHENTICATED', 'This operator no longer exists.');
      return parseRoles(operator.roles);
    },
  );
}

/** Routes of one counter: the hook checks the caller may act at request.params.endpointId. */
function counterRoutes(scope: HttpServer, deps: QueueServiceDeps): void {
  scope.get(
    '/v2/endpoints/:endpointId',
    {
      schema: {
        tags,
        security,
        summary: 'Get a counter',
        params: EndpointParams,
        querystring: KeyOnlyQuery,
        response: { 200: EndpointView, ...errors(401, 403, 404) },
      },
    },
    async (request) => getCounter(deps, request.counter, request.params.endpointId),
  );

  scope.put(
    '/v2/endpoints/:endpointId',
    {
      schema: {
        tags,
        security,
        summary: 'Open or close a counter',
        params: EndpointParams,
        querystring: KeyOnlyQuery,
        body: Type.Object({ isOpen: Type.Boolean() }, { additionalProperties: false }),
        response: { 200: EndpointView, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => setCounterOpen(deps, request.counter, request.params.endpointId, request.body.isOpen),
  );

  scope.post(
    '/v2/endpoints/:endpointId/next',
    {
      schema: {
        tags,
        security,
        summary: 'Call the next ticket',
        description:
          'FIFO across the queues the counter serves; an appointment is never called before its time and goes first once due. 404 NO_TICKET_WAITING when the line is empty.',
        params: EndpointParams,
        querystring: KeyOnlyQuery,
        response: { 200: TicketViewSchema, ...errors(401, 403, 404, 409) },
      },
    },
    async (request) => callNext(deps, request.counter, request.params.endpointId),
  );

  scope.get(
    '/v2/endpoints/:endpointId/tickets',
    {
      schema: {
        tags,
        security,
        summary: "List or search the counter's tickets",
        params: EndpointParams,
        querystring: Query({
          state: Type.Optional(Type.Array(Type.Integer({ minimum: 0, maximum: 700 }), { maxItems: 9 })),
          q: Type.Optional(Type.String({ maxLength: 100, description: 'Label, name or phone.' })),
          queueId: Type.Optional(Id),
          from: Type.Optional(Type.String({ format: 'date-time' })),
          to: Type.Optional(Type.String({ format: 'date-time' })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
        }),
        response: { 200: Type.Object({ tickets: Type.Array(TicketViewSchema) }), ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { state, q, queueId, from, to, limit } = request.query;
      const tickets = await listCounterTickets(deps, request.counter, request.params.endpointId, {
        states: state,
        text: q,
        queueId,
        from: from ? Date.parse(from) : undefined,
        to: to ? Date.parse(to) : undefined,
        limit: limit ?? 100,
      });
      return { tickets };
    },
  );

  scope.get(
    '/v2/endpoints/:endpointId/tickets/:ticketId',
    {
      schema: {
        tags,
        security,
        summary: 'Get a ticket of the counter',
        params: TicketParams,
        querystring: KeyOnlyQuery,
        response: { 200: TicketViewSchema, ...errors(401, 403, 404) },
      },
    },
    async (request) => getCounterTicket(deps, request.counter, request.params.endpointId, request.params.ticketId),
  );

  scope.put(
    '/v2/endpoints/:endpointId/tickets/:ticketId/recall',
    {
      schema: {
        tags,
        security,
        summary: 'Recall a called or on-hold ticket',
        params: TicketParams,
        querystring: KeyOnlyQuery,
        response: { 200: TicketViewSchema, ...errors(401, 403, 404, 409) },
      },
    },
    async (request) => recallTicket(deps, request.counter, request.params.endpointId, request.params.ticketId),
  );

  scope.put(
    '/v2/endpoints/:endpointId/tickets/:ticketId/state',
    {
      schema: {
        tags,
        security,
        summary: "Change a ticket's state",
        description:
          'The transition table of the ticket states; any other is a 409 INVALID_TRANSITION. The operator role must allow the target state.',
        params: TicketParams,
        querystring: KeyOnlyQuery,
        body: Type.Object({ state: TargetState }, { additionalProperties: false }),
        response: { 200: TicketViewSchema, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => moveTicket(deps, request.counter, request.params.endpointId, request.params.ticketId, request.body.state),
  );

  scope.put(
    '/v2/endpoints/:endpointId/queues/:queueId/booking',
    {
      schema: {
        tags,
        security,
        summary: 'Pause or resume booking of a queue',
        description:
          "paused: true stops new bookings until the end of the place's day (people waiting stay); false resumes. Needs the manageCounter role and a counter serving the queue.",
        params: Type.Object({ endpointId: Id, queueId: Id }),
        querystring: KeyOnlyQuery,
        body: Type.Object({ paused: Type.Boolean() }, { additionalProperties: false }),
        response: { 200: QueueStateView, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => setBookingPaused(deps, request.counter, request.params.endpointId, request.params.queueId, request.body.paused),
  );

  scope.get(
    '/v2/endpoints/:endpointId/indicators',
    {
      schema: {
        tags,
        security,
        summary: 'Indicators of the counter and its queues',
        description:
          "Waiting tickets and people now; over tickets booked in [from, to) (default: the place's current day): booked, served, no-shows, canceled, average wait to the first call and service time (minutes), ratings. The counter's own row counts the tickets it called or served.",
        params: EndpointParams,
        querystring: Query({
          from: Type.Optional(Type.String({ format: 'date-time' })),
          to: Type.Optional(Type.String({ format: 'date-time' })),
        }),
        response: { 200: IndicatorsView, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { from, to } = request.query;
      return counterIndicators(deps, request.counter, request.params.endpointId, {
        from: from ? Date.parse(from) : undefined,
        to: to ? Date.parse(to) : undefined,
      });
    },
  );
}

const Count = Type.Object({ tickets: Type.Integer(), people: Type.Integer() });
const NullableNumber = Type.Union([Type.Number(), Type.Null()]);
const Totals = {
  waiting: Count,
  booked: Type.Integer(),
  served: Type.Integer(),
  noShows: Type.Integer(),
  canceled: Type.Integer(),
  averageServiceMinutes: NullableNumber,
  averageRating: NullableNumber,
  ratings: Type.Integer(),
};
const IndicatorsView = Type.Object({
  from: Type.String({ format: 'date-time' }),
  to: Type.String({ format: 'date-time' }),
  endpoint: Type.Object({ endpointId: Id, ...Totals, averageWaitMinutes: NullableNumber }),
  queues: Type.Array(Type.Object({ queueId: Id, name: Type.String(), ...Totals, averageWaitMinutes: NullableNumber })),
});
