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
import { limitByAddress, requireAnyCompanyKey, requireCounter, requireOperator } from '../http/callers.js';
import { Id, KeyOnlyQuery, Query, Security, errors } from '../http/schemas.js';
import { StaffTicketViewSchema, TicketViewSchema } from '../http/ticket-schema.js';
import { EndpointView, OperatorView } from '../entities/views.js';
import { AppError } from '../../contract/errors.js';
import { getCounter, setCounterOpen } from './counter.js';
import { assignToEndpoint, loginAtCounter, logout, preLogin } from './login.js';
import { OperatorRolesTree, operatorRolesTree } from './roles.js';
import { callNext, callTicket, moveTicket, recallTicket } from './ticket-actions.js';
import { setTicketNote, setTicketPriority, transferTicket } from './moving.js';
import { getCallReach, getCounterTicket, listCounterTickets } from './ticket-list.js';
import { setBookingPaused } from './booking-pause.js';
import { counterIndicators } from './indicators.js';
import { QueueStateView } from '../booking/schemas.js';

const EndpointParams = Type.Object({ endpointId: Id });
const TicketParams = Type.Object({ endpointId: Id, ticketId: Id });
const TargetState = Type.Union([200, 300, 400, 500, 600, 700].map((code) => Type.Literal(code)) as [ReturnType<typeof Type.Literal<200>>]);
const security = [...Security.operator, ...Security.key];
const CallInput = Type.Object(
  {
    previousTicket: Type.Optional(
      Type.Union([Type.Literal('done'), Type.Literal('no_show'), Type.Literal('on_hold'), Type.Literal('keep')], {
        description:
          'What becomes of the ticket the counter is calling or serving: done, no_show (on hold, then no show), on_hold, or keep it as it is. Without it such a ticket makes the call a 409 ENDPOINT_BUSY naming it.',
      }),
    ),
  },
  { additionalProperties: false },
);
const TransferBody = Type.Object(
  {
    toQueueId: Type.Optional(Id),
    toEndpointId: Type.Optional(Id),
    place: Type.Union([Type.Literal('keep'), Type.Literal('end')], {
      description: 'keep: its place in line (when it first joined); end: behind everyone waiting now.',
    }),
  },
  { additionalProperties: false },
);
const tags = ['validation'];

export async function registerValidationRoutes(app: HttpServer, deps: QueueServiceDeps, auth: Auth): Promise<void> {
  await routeGroup(app, (scope) => {
    limitByAddress(scope, auth);
    signInRoute(scope, deps, auth);
  });
  await routeGroup(app, (scope) => {
    requireAnyCompanyKey(scope, auth);
    preLoginRoute(scope, deps, auth);
  });
  await routeGroup(app, (scope) => {
    requireOperator(scope, auth);
    operatorRoutes(scope, deps, auth);
  });
  await routeGroup(app, (scope) => {
    requireCounter(scope, auth);
    counterRoutes(scope, deps);
  });
}

const Credentials = {
  loginId: Type.String({ minLength: 1, maxLength: 100 }),
  password: Type.String({ minLength: 1, maxLength: 200 }),
};
const SignedIn = Type.Object({
  token: Type.String({ description: 'The operator token (HS256 JWT, 12 hours; jti is the session id).' }),
  jwtToken: Type.String({ description: 'The same token, under the name the user routes use.' }),
  operator: Type.Omit(OperatorView, ['companyId', 'createdAt']),
  endpoint: Type.Union([EndpointView, Type.Null()], { description: 'The counter; null after a pre-login.' }),
});

function signInRoute(scope: HttpServer, deps: QueueServiceDeps, auth: Auth): void {
  scope.post(
    '/v2/operator/endpoint/:endpointId/login',
    {
      schema: {
        tags,
        summary: 'Sign in at a counter',
        description:
          "Lineberty's direct login. Returns an operator token valid at this counter for 12 hours. The body may repeat the path's endpointId (Lineberty's documented body); a different one is a 400.",
        params: EndpointParams,
        body: Type.Object({ endpointId: Type.Optional(Id), ...Credentials }, { additionalProperties: false }),
        response: { 200: SignedIn, ...errors(400, 401, 404, 429) },
      },
    },
    async (request) => {
      const { endpointId, loginId, password } = request.body;
      if (endpointId !== undefined && endpointId !== request.params.endpointId) {
        throw new AppError('VALIDATION_FAILED', 'body.endpointId differs from the endpointId of the path.', { field: 'body.endpointId' });
      }
      return loginAtCounter(deps, auth, request.params.endpointId, loginId, password);
    },
  );
}

/** With any key of the company: it says which company the login id belongs to. */
function preLoginRoute(scope: HttpServer, deps: QueueServiceDeps, auth: Auth): void {
  scope.post(
    '/v2/operator/preLogin',
    {
      schema: {
        tags,
        security: Security.key,
        summary: 'Pre-login (not yet at a counter)',
        description:
          "Lineberty's pre-login: checks the operator's login id and password in the company of the API key and returns a token that reaches GET /v2/operator/roles and POST /v2/operator/session/assignToEndpoint, not the counter routes.",
        querystring: KeyOnlyQuery,
        body: Type.Object(Credentials, { additionalProperties: false }),
        response: { 200: SignedIn, ...errors(400, 401, 403, 429) },
      },
    },
    async (request) => preLogin(deps, auth, request.companyKey.companyId, request.body.loginId, request.body.password),
  );
}

function operatorRoutes(scope: HttpServer, deps: QueueServiceDeps, auth: Auth): void {
  scope.get(
    '/v2/operator/roles',
    {
      schema: {
        tags,
        security: Security.operator,
        summary: "The signed-in operator's roles",
        description:
          'Nested as Lineberty does: companyId → placeId → queueId → {authorizedSetState, recallAllowed, showIndicators, hiddenModeAllowed, bookingClosedForTodayAllowed, pauseAllowed, extendedAttributes}. authorizedSetState maps a state code to the codes the operator may set from it.',
        querystring: KeyOnlyQuery,
        response: { 200: OperatorRolesTree, ...errors(401) },
      },
    },
    async (request) => operatorRolesTree(deps, request.operator),
  );

  scope.post(
    '/v2/operator/session/assignToEndpoint',
    {
      schema: {
        tags,
        security: Security.operator,
        summary: 'Assign the session to a counter',
        description: 'After a pre-login (or to move to another counter): a token of the same session, valid at this counter.',
        querystring: KeyOnlyQuery,
        body: Type.Object({ endpointId: Id }, { additionalProperties: false }),
        response: { 200: SignedIn, ...errors(400, 401, 404) },
      },
    },
    async (request) => assignToEndpoint(deps, auth, request.operator, request.body.endpointId),
  );

  scope.post(
    '/v2/operator/logout',
    {
      schema: {
        tags,
        security: Security.operator,
        summary: 'Log out',
        description: 'Ends the session: every token of it stops working. The counter stays as it is (close it first if needed).',
        querystring: KeyOnlyQuery,
        response: { 204: Type.Null(), ...errors(401) },
      },
    },
    async (request, reply) => {
      await logout(deps, auth, request.operator);
      return reply.code(204).send(null);
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
        body: Type.Optional(Type.Union([CallInput, Type.Null()])),
        response: { 200: TicketViewSchema, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => callNext(deps, request.counter, request.params.endpointId, request.body?.previousTicket),
  );

  scope.post(
    '/v2/endpoints/:endpointId/tickets/:ticketId/call',
    {
      schema: {
        tags,
        security,
        summary: 'Call a chosen ticket, out of order',
        description:
          'As call next, for this ticket of a queue the counter serves (a waiting one, or a recall). The same 409 ENDPOINT_BUSY while the counter has another called or in-progress ticket, unless previousTicket says what becomes of it.',
        params: TicketParams,
        querystring: KeyOnlyQuery,
        body: Type.Optional(Type.Union([CallInput, Type.Null()])),
        response: { 200: TicketViewSchema, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => callTicket(deps, request.counter, request.params.endpointId, request.params.ticketId, request.body?.previousTicket),
  );

  scope.post(
    '/v2/endpoints/:endpointId/tickets/:ticketId/transfer',
    {
      schema: {
        tags,
        security,
        summary: 'Transfer a ticket to a queue of its place, or to one counter',
        description:
          'The ticket waits again (booked) in toQueueId, kept for toEndpointId when given (only that counter calls it), at its place in line (place: keep, when it first joined) or at the end (place: end). The person gets TICKET_BOOKED with a text naming the new queue or counter. A waiting appointment is refused (409 TRANSFER_NOT_ALLOWED): it holds a slot; once called it can move, as a walk-in of the new queue.',
        params: TicketParams,
        querystring: KeyOnlyQuery,
        body: TransferBody,
        response: { 200: StaffTicketViewSchema, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => transferTicket(deps, request.counter, request.params.endpointId, request.params.ticketId, request.body),
  );

  scope.put(
    '/v2/endpoints/:endpointId/tickets/:ticketId/priority',
    {
      schema: {
        tags,
        security,
        summary: 'Make a waiting walk-in priority, or not',
        description:
          "Priority tickets are called before the rest of their line, due appointments included. Needs the queue's priorityAllowed (409 PRIORITY_NOT_ALLOWED).",
        params: TicketParams,
        querystring: KeyOnlyQuery,
        body: Type.Object({ priority: Type.Boolean() }, { additionalProperties: false }),
        response: { 200: StaffTicketViewSchema, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => setTicketPriority(deps, request.counter, request.params.endpointId, request.params.ticketId, request.body.priority),
  );

  scope.put(
    '/v2/endpoints/:endpointId/tickets/:ticketId/note',
    {
      schema: {
        tags,
        security,
        summary: "Write or remove the staff's note on a ticket",
        description:
          'Seen by counter staff only: never in the person’s ticket, a message or the display. An empty or null note removes it.',
        params: TicketParams,
        querystring: KeyOnlyQuery,
        body: Type.Object({ note: Type.Union([Type.String({ maxLength: 1000 }), Type.Null()]) }, { additionalProperties: false }),
        response: { 200: StaffTicketViewSchema, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => setTicketNote(deps, request.counter, request.params.endpointId, request.params.ticketId, request.body.note),
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
        response: { 200: Type.Object({ tickets: Type.Array(StaffTicketViewSchema) }), ...errors(400, 401, 403, 404) },
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
        description: 'With the staff note.',
        params: TicketParams,
        querystring: KeyOnlyQuery,
        response: { 200: StaffTicketViewSchema, ...errors(401, 403, 404) },
      },
    },
    async (request) => getCounterTicket(deps, request.counter, request.params.endpointId, request.params.ticketId),
  );

  scope.get(
    '/v2/endpoints/:endpointId/tickets/:ticketId/reach',
    {
      schema: {
        tags,
        security,
        summary: "Whether a ticket's call reached the person",
        description:
          "From the push server's receipts and the SMS fallback: reached (a provider accepted the push, or the SMS was delivered), not reached (every way ended without), or null while still on its way; with the channel and the time from the call.",
        params: TicketParams,
        querystring: KeyOnlyQuery,
        response: {
          200: Type.Object({
            reached: Type.Union([Type.Boolean(), Type.Null()]),
            channel: Type.Union([Type.String(), Type.Null()]),
            at: Type.Union([Type.String(), Type.Null()]),
            changeToReachedMs: Type.Union([Type.Integer(), Type.Null()]),
          }),
          ...errors(401, 403, 404),
        },
      },
    },
    async (request) => getCallReach(deps, request.counter, request.params.endpointId, request.params.ticketId),
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
          "paused: true stops new bookings until the end of the place's day (people waiting stay); false resumes. Needs the bookingClosedForTodayAllowed role and a counter serving the queue.",
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
