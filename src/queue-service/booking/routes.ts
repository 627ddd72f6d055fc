/**
 * Booking API (docs/design.md §Routes): places, queues, users and a person's own tickets. Sub-groups
 * by credential: the booking key (create a user, the catalog), the booking key with a user token
 * (renew the token, the user's own tickets), and a user token or a server key (book).
 */
import { Type } from 'typebox';
import { routeGroup } from '../../platform/http/route-group.js';
import { allowBookingBrowsers } from '../http/browser-cors.js';
import type { HttpServer } from '../../platform/http/server.js';
import type { QueueServiceDeps } from '../deps.js';
import type { Auth } from '../http/auth.js';
import { requireBooker, requireBookingKey, requireUser } from '../http/callers.js';
import { Id, KeyOnlyQuery, Query, Security, errors } from '../http/schemas.js';
import { TicketViewSchema } from '../http/ticket-schema.js';
import { BookingInput, bookTicket } from './book.js';
import { BookingBudgets } from './fair-use.js';
import { ContactVerifyInput, ContactVerifyView, verifyContact } from './contact-verification.js';
import {
  getPlace,
  getQueue,
  getQueueEligibility,
  getQueueState,
  getQueueStates,
  listCompanyPlaces,
  listCompanyQueues,
  listGroupQueues,
  listPlaceGroupsOf,
  listPlaceQueues,
  listSubplaceCategories,
} from './catalog.js';
import { SubscriptionInput } from './contact.js';
import { CategoriesView, PlaceView, PlacesView, QueueView, QueuesView } from '../entities/catalog-views.js';
import { EligibilityView, QueueIdsInput, QueueStateView, QueueStatesView, UserTokenView } from './schemas.js';
import { cancelUserTicket, getUserTicket, listUserTickets, subscribeUserTicket } from './user-tickets.js';
import { renewUserToken } from '../integrator/users.js';
import { ErasedView, erasePerson } from '../privacy/erase.js';
import {
  RateInput,
  ReportInput,
  RunningLateInput,
  checkInUserTicket,
  confirmUserTicket,
  rateUserTicket,
  reportUserTicket,
  runningLateUserTicket,
} from './user-actions.js';

const TicketParams = Type.Object({ ticketId: Id });

export async function registerBookingRoutes(app: HttpServer, deps: QueueServiceDeps, auth: Auth): Promise<void> {
  // In the order of the paths in the OpenAPI document: token renewal, catalog, booking, own tickets.
  await routeGroup(app, (scope) => {
    allowBookingBrowsers(scope);
    requireUser(scope, auth);
    tokenRefreshRoute(scope, auth);
  });
  await routeGroup(app, (scope) => {
    allowBookingBrowsers(scope);
    requireBookingKey(scope, auth);
    catalogRoutes(scope, deps);
  });
  const budgets = new BookingBudgets(() => deps.clock.now());
  await routeGroup(app, (scope) => {
    allowBookingBrowsers(scope);
    requireBooker(scope, auth);
    bookingRoute(scope, deps, budgets);
  });
  await routeGroup(app, (scope) => {
    allowBookingBrowsers(scope);
    requireUser(scope, auth);
    ownTicketRoutes(scope, deps);
  });
}

const tags = ['booking'];
const querystring = KeyOnlyQuery;

/** With the booking key and the user's token. */
function tokenRefreshRoute(scope: HttpServer, auth: Auth): void {
  scope.post(
    '/v2/users/token',
    {
      schema: {
        tags,
        security: Security.user,
        summary: "Refresh a user's token",
        querystring,
        response: { 200: UserTokenView, ...errors(401, 403, 429) },
      },
    },
    async (request) => renewUserToken(auth, request.user),
  );
}

const PositionQuery = Query({
  lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90, description: "The person's latitude: places then carry a distance." })),
  lng: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
});
const positionOf = (query: { lat?: number; lng?: number }) =>
  query.lat !== undefined && query.lng !== undefined ? { lat: query.lat, lng: query.lng } : null;

/** With the booking key: places and queues, as Lineberty shows them (docs/lineberty.md). */
function catalogRoutes(scope: HttpServer, deps: QueueServiceDeps): void {
  scope.get(
    '/v2/places',
    {
      schema: {
        tags,
        security: Security.key,
        summary: 'List places',
        description: 'Keyed by placeId; with lat and lng, nearest first and each with its distance in metres.',
        querystring: PositionQuery,
        response: { 200: PlacesView, ...errors(400, 401, 403, 429) },
      },
    },
    async (request) => listCompanyPlaces(deps, request.companyKey.companyId, positionOf(request.query)),
  );

  scope.get(
    '/v2/places/:placeId',
    {
      schema: {
        tags,
        security: Security.key,
        summary: 'Get a place',
        params: Type.Object({ placeId: Id }),
        querystring: PositionQuery,
        response: { 200: PlaceView, ...errors(400, 401, 403, 404, 429) },
      },
    },
    async (request) => getPlace(deps, request.companyKey.companyId, request.params.placeId, positionOf(request.query)),
  );

  scope.get(
    '/v2/places/:placeId/queues',
    {
      schema: {
        tags,
        security: Security.key,
        summary: 'List the queues of a place',
        description: 'Keyed by queueId.',
        params: Type.Object({ placeId: Id }),
        querystring,
        response: { 200: QueuesView, ...errors(401, 403, 404, 429) },
      },
    },
    async (request) => listPlaceQueues(deps, request.companyKey.companyId, request.params.placeId),
  );

  for (const [kind, one, idField] of [
    ['subplaces', 'subplace', 'subplaceId'],
    ['categories', 'category', 'categoryId'],
  ] as const) {
    scope.get(
      `/v2/places/:placeId/${kind}`,
      {
        schema: {
          tags,
          security: Security.key,
          summary: `List the ${kind} of a place`,
          description: `Keyed by ${idField}; a place has subplaces or categories of its own, never both (a subplace's categories are inside it).`,
          params: Type.Object({ placeId: Id }),
          querystring,
          response: { 200: PlaceView.properties[kind], ...errors(401, 403, 404, 429) },
        },
      },
      async (request) => listPlaceGroupsOf(deps, request.companyKey.companyId, request.params.placeId, kind),
    );
    scope.get(
      `/v2/places/:placeId/${kind}/:groupId/queues`,
      {
        schema: {
          tags,
          security: Security.key,
          summary: `List the queues of a ${one}`,
          description:
            kind === 'subplaces'
              ? "Keyed by queueId; its categories' queues included."
              : 'Keyed by queueId; a category of the place or of one of its subplaces.',
          params: Type.Object({ placeId: Id, groupId: Id }),
          querystring,
          response: { 200: QueuesView, ...errors(401, 403, 404, 429) },
        },
      },
      async (request) => listGroupQueues(deps, request.companyKey.companyId, request.params.placeId, kind, request.params.groupId),
    );
  }

  scope.get(
    '/v2/places/:placeId/subplaces/:subplaceId/categories',
    {
      schema: {
        tags,
        security: Security.key,
        summary: 'List the categories of a subplace',
        description: 'Keyed by categoryId (Lineberty: a category belongs to a place or a subplace).',
        params: Type.Object({ placeId: Id, subplaceId: Id }),
        querystring,
        response: { 200: CategoriesView, ...errors(401, 403, 404, 429) },
      },
    },
    async (request) => listSubplaceCategories(deps, request.companyKey.companyId, request.params.placeId, request.params.subplaceId),
  );

  scope.get(
    '/v2/places/:placeId/subplaces/:subplaceId/categories/:categoryId/queues',
    {
      schema: {
        tags,
        security: Security.key,
        summary: 'List the queues of a category of a subplace',
        description: 'Keyed by queueId.',
        params: Type.Object({ placeId: Id, subplaceId: Id, categoryId: Id }),
        querystring,
        response: { 200: QueuesView, ...errors(401, 403, 404, 429) },
      },
    },
    async (request) =>
      listGroupQueues(
        deps,
        request.companyKey.companyId,
        request.params.placeId,
        'categories',
        request.params.categoryId,
        request.params.subplaceId,
      ),
  );

  scope.get(
    '/v2/queues',
    {
      schema: {
        tags,
        security: Security.key,
        summary: 'List every queue of the company',
        description: 'Keyed by queueId.',
        querystring,
        response: { 200: QueuesView, ...errors(401, 403, 429) },
      },
    },
    async (request) => listCompanyQueues(deps, request.companyKey.companyId),
  );

  scope.post(
    '/v2/queues/state',
    {
      schema: {
        tags,
        security: Security.key,
        summary: 'Get the live state of several queues',
        description: 'Keyed by queueId; an unknown id is a 404 naming it in details.queueId.',
        querystring,
        body: QueueIdsInput,
        response: { 200: QueueStatesView, ...errors(400, 401, 403, 404, 429) },
      },
    },
    async (request) => getQueueStates(deps, request.companyKey.companyId, request.body.queuesId),
  );

  scope.post(
    '/v2/queues/eligibility',
    {
      schema: {
        tags,
        security: Security.key,
        summary: 'Whether a booking would be taken now in each queue',
        description:
          'Keyed by queueId, with the error code booking would answer otherwise. userId, when given, must be a user of the company (404 otherwise); queuebell sets no limit per person.',
        querystring,
        body: QueueIdsInput,
        response: { 200: EligibilityView, ...errors(400, 401, 403, 404, 429) },
      },
    },
    async (request) => getQueueEligibility(deps, request.companyKey.companyId, request.body.queuesId, request.body.userId),
  );

  scope.get(
    '/v2/queues/:queueId',
    {
      schema: {
        tags,
        security: Security.key,
        summary: 'Get a queue',
        params: Type.Object({ queueId: Id }),
        querystring,
        response: { 200: QueueView, ...errors(401, 403, 404, 429) },
      },
    },
    async (request) => getQueue(deps, request.companyKey.companyId, request.params.queueId),
  );

  scope.get(
    '/v2/queues/:queueId/state',
    {
      schema: {
        tags,
        security: Security.key,
        summary: 'Get the live state of a queue',
        params: Type.Object({ queueId: Id }),
        querystring,
        response: { 200: QueueStateView, ...errors(401, 403, 404, 429) },
      },
    },
    async (request) => getQueueState(deps, request.companyKey.companyId, request.params.queueId),
  );
}

/** A person with a user token (and the booking key), or a company backend with a server key. */
function bookingRoute(scope: HttpServer, deps: QueueServiceDeps, budgets: BookingBudgets): void {
  scope.post(
    '/v2/queues/:queueId/ticket',
    {
      schema: {
        tags,
        security: Security.user,
        summary: 'Book a ticket',
        description:
          'With a booking key and a user token. sendClientPush needs pushId, sendClientSms a phone (E.164), sendClientMail a mail; a missing one is a 400 naming the field. A server key may book without a user token. A person may hold one open ticket per queue by default (409 TOO_MANY_OPEN_TICKETS names it) and book a limited number of times per hour from one address (429).',
        params: Type.Object({ queueId: Id }),
        querystring,
        body: BookingInput,
        response: { 201: TicketViewSchema, ...errors(400, 401, 403, 404, 409, 429) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(
        await bookTicket(deps, request.booker, request.params.queueId, request.body, {
          budgets,
          address: request.ip,
          keyId: request.booker.keyId,
        }),
      ),
  );
}

/** With the booking key and the user's token: the user's own tickets. */
function ownTicketRoutes(scope: HttpServer, deps: QueueServiceDeps): void {
  scope.get(
    '/v2/user/tickets',
    {
      schema: {
        tags,
        security: Security.user,
        summary: "List the user's tickets",
        querystring,
        response: { 200: Type.Object({ tickets: Type.Record(Type.String(), TicketViewSchema) }), ...errors(401, 403, 429) },
      },
    },
    async (request) => ({ tickets: await listUserTickets(deps, request.user.userId) }),
  );

  scope.get(
    '/v2/user/tickets/:ticketId',
    {
      schema: {
        tags,
        security: Security.user,
        summary: "Get one of the user's tickets",
        params: TicketParams,
        querystring,
        response: { 200: TicketViewSchema, ...errors(401, 403, 404, 429) },
      },
    },
    async (request) => getUserTicket(deps, request.user.userId, request.params.ticketId),
  );

  scope.put(
    '/v2/user/tickets/:ticketId/cancel',
    {
      schema: {
        tags,
        security: Security.user,
        summary: 'Cancel a ticket',
        params: TicketParams,
        querystring,
        response: { 200: TicketViewSchema, ...errors(401, 403, 404, 409, 429) },
      },
    },
    async (request) => cancelUserTicket(deps, request.user.userId, request.params.ticketId),
  );

  scope.put(
    '/v2/user/tickets/:ticketId/notifications',
    {
      schema: {
        tags,
        security: Security.user,
        summary: 'Change how the ticket notifies its holder',
        description: 'Answers 200 with an empty body. Later changes of the ticket reach the channels given here.',
        params: TicketParams,
        querystring,
        body: SubscriptionInput,
        response: {
          200: Type.Null({ description: 'The subscription is saved; the body is empty (no content, not the text null).' }),
          ...errors(400, 401, 403, 404, 409, 429),
        },
      },
    },
    async (request, reply) => {
      await subscribeUserTicket(deps, request.user.userId, request.params.ticketId, request.body);
      // docs/design.md §Routes promises 200 with an empty body, which no response schema can describe.
      return reply.code(200).send(undefined as never);
    },
  );

  scope.put(
    '/v2/user/tickets/:ticketId/confirm',
    {
      schema: {
        tags,
        security: Security.user,
        summary: 'Confirm coming',
        description:
          'Where the queue asks people to confirm, a ticket near its turn waits in state 50; confirming alerts it (100). Confirming an alerted ticket changes nothing.',
        params: TicketParams,
        querystring,
        response: { 200: TicketViewSchema, ...errors(401, 403, 404, 409, 429) },
      },
    },
    async (request) => confirmUserTicket(deps, request.user.userId, request.params.ticketId),
  );

  scope.put(
    '/v2/user/tickets/:ticketId/report',
    {
      schema: {
        tags,
        security: Security.user,
        summary: 'Postpone an appointment',
        description:
          'Moves a waiting appointment to another free slot of its type (409 SLOT_UNAVAILABLE otherwise); its reminders move with it.',
        params: TicketParams,
        querystring,
        body: ReportInput,
        response: { 200: TicketViewSchema, ...errors(400, 401, 403, 404, 409, 429) },
      },
    },
    async (request) => reportUserTicket(deps, request.user.userId, request.params.ticketId, request.body),
  );

  scope.put(
    '/v2/user/tickets/:ticketId/checkIn',
    {
      schema: {
        tags,
        security: Security.user,
        summary: 'Say "I\'m here"',
        description:
          'While the ticket waits, is called or on hold: counter staff see that the person is there (checkedInAt). No state change, no message. Saying it again changes nothing.',
        params: TicketParams,
        querystring,
        response: { 200: TicketViewSchema, ...errors(401, 403, 404, 409, 429) },
      },
    },
    async (request) => checkInUserTicket(deps, request.user.userId, request.params.ticketId),
  );

  scope.put(
    '/v2/user/tickets/:ticketId/runningLate',
    {
      schema: {
        tags,
        security: Security.user,
        summary: 'Say "running late"',
        description:
          'While the ticket waits: counter staff see by how many minutes and since when (runningLate). Nothing automatic: the ticket keeps its place and state; staff decide.',
        params: TicketParams,
        querystring,
        body: RunningLateInput,
        response: { 200: TicketViewSchema, ...errors(400, 401, 403, 404, 409, 429) },
      },
    },
    async (request) => runningLateUserTicket(deps, request.user.userId, request.params.ticketId, request.body),
  );

  scope.delete(
    '/v2/user',
    {
      schema: {
        tags,
        security: Security.user,
        summary: "Erase the user's personal data",
        description:
          "Name, phone, e-mail and pushId of every ticket of the user, the bodies and recipients of their messages, and their rating comments are erased; messages still waiting are not sent. The tickets stay, anonymous, in the queue's counts and statistics.",
        querystring,
        response: { 200: ErasedView, ...errors(401, 403, 429) },
      },
    },
    async (request) => erasePerson(deps, request.user.companyId, request.user.userId),
  );

  scope.post(
    '/v2/user/contacts/verify',
    {
      schema: {
        tags,
        security: Security.user,
        summary: 'Prove a phone number or e-mail address',
        description:
          'Without code: sends a six-digit code to the phone (SMS) or mail, valid 10 minutes (202). With the code received: marks the contact proven for 30 days (200). A queue with contactVerificationRequired sends SMS and e-mail only to proven contacts.',
        querystring,
        body: ContactVerifyInput,
        response: { 200: ContactVerifyView, 202: ContactVerifyView, ...errors(400, 401, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      const result = await verifyContact(deps, request.user, request.body);
      return reply.code(result.status === 'sent' ? 202 : 200).send(result);
    },
  );

  scope.put(
    '/v2/user/tickets/:ticketId/rate',
    {
      schema: {
        tags,
        security: Security.user,
        summary: 'Rate a visit',
        description: 'Once, on a done ticket: a rating from 1 to 5 and an optional comment.',
        params: TicketParams,
        querystring,
        body: RateInput,
        response: { 200: TicketViewSchema, ...errors(400, 401, 403, 404, 409, 429) },
      },
    },
    async (request) => rateUserTicket(deps, request.user.userId, request.params.ticketId, request.body),
  );
}
