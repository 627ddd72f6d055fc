/** Booking API (docs/design.md §Routes): places, queues, users and a person's own tickets. */
import { Type } from 'typebox';
import type { HttpServer } from '../../platform/http/server.js';
import type { QueueServiceDeps } from '../deps.js';
import type { Auth } from '../http/auth.js';
import { Id, KeyOnlyQuery, Security, errors } from '../http/schemas.js';
import { TicketViewSchema } from '../http/ticket-schema.js';
import { PlaceView, placeView } from '../entities/views.js';
import { BookingInput, bookTicket } from './book.js';
import { getCompanyPlace, getCompanyQueue, getQueueState, listCompanyPlaces, listPlaceQueues, publicQueueView } from './catalog.js';
import { SubscriptionInput } from './contact.js';
import { PublicQueueView, QueueStateView, UserTokenView } from './schemas.js';
import { cancelUserTicket, getUserTicket, listUserTickets, subscribeUserTicket } from './user-tickets.js';
import { createUser, refreshUserToken } from './users.js';
import { RateInput, ReportInput, confirmUserTicket, rateUserTicket, reportUserTicket } from './user-actions.js';

const TicketParams = Type.Object({ ticketId: Id });

export function registerBookingRoutes(app: HttpServer, deps: QueueServiceDeps, auth: Auth): void {
  const tags = ['booking'];
  const querystring = KeyOnlyQuery;

  app.post('/v2/users', {
    schema: { tags, security: Security.key, summary: 'Create a user', description: 'Returns a user id and the token that user-scoped calls send as Authorization: Bearer.', querystring, response: { 201: UserTokenView, ...errors(401, 403, 429) } },
  }, async (request, reply) => {
    const key = await auth.companyKey(request, 'booking');
    return reply.code(201).send(await createUser(deps, auth, key.companyId));
  });

  app.post('/v2/users/token', {
    schema: { tags, security: Security.user, summary: "Refresh a user's token", querystring, response: { 200: UserTokenView, ...errors(401, 403, 429) } },
  }, async (request) => {
    const user = await auth.user(request);
    return refreshUserToken(auth, user.userId, user.companyId);
  });

  app.get('/v2/places', {
    schema: { tags, security: Security.key, summary: 'List places', querystring, response: { 200: Type.Array(PlaceView), ...errors(401, 403, 429) } },
  }, async (request) => listCompanyPlaces(deps, (await auth.companyKey(request, 'booking')).companyId));

  app.get('/v2/places/:placeId', {
    schema: { tags, security: Security.key, summary: 'Get a place', params: Type.Object({ placeId: Id }), querystring, response: { 200: PlaceView, ...errors(401, 403, 404, 429) } },
  }, async (request) => placeView(await getCompanyPlace(deps, (await auth.companyKey(request, 'booking')).companyId, request.params.placeId)));

  app.get('/v2/places/:placeId/queues', {
    schema: { tags, security: Security.key, summary: 'List the queues of a place', params: Type.Object({ placeId: Id }), querystring, response: { 200: Type.Array(PublicQueueView), ...errors(401, 403, 404, 429) } },
  }, async (request) => listPlaceQueues(deps, (await auth.companyKey(request, 'booking')).companyId, request.params.placeId));

  app.get('/v2/queues/:queueId', {
    schema: { tags, security: Security.key, summary: 'Get a queue', params: Type.Object({ queueId: Id }), querystring, response: { 200: PublicQueueView, ...errors(401, 403, 404, 429) } },
  }, async (request) => publicQueueView(await getCompanyQueue(deps, (await auth.companyKey(request, 'booking')).companyId, request.params.queueId)));

  app.get('/v2/queues/:queueId/state', {
    schema: { tags, security: Security.key, summary: 'Get the live state of a queue', params: Type.Object({ queueId: Id }), querystring, response: { 200: QueueStateView, ...errors(401, 403, 404, 429) } },
  }, async (request) => getQueueState(deps, (await auth.companyKey(request, 'booking')).companyId, request.params.queueId));

  app.post('/v2/queues/:queueId/ticket', {
    schema: {
      tags, security: Security.user, summary: 'Book a ticket',
      description: 'With a booking key and a user token. sendClientPush needs pushId, sendClientSms a phone (E.164), sendClientMail a mail; a missing one is a 400 naming the field. A server key may book without a user token.',
      params: Type.Object({ queueId: Id }), querystring, body: BookingInput, response: { 201: TicketViewSchema, ...errors(400, 401, 403, 404, 409, 429) },
    },
  }, async (request, reply) => {
    const booker = request.headers.authorization
      ? await auth.user(request)
      : { ...(await auth.companyKey(request, 'server')), userId: null };
    return reply.code(201).send(await bookTicket(deps, booker, request.params.queueId, request.body));
  });

  app.get('/v2/user/tickets', {
    schema: { tags, security: Security.user, summary: "List the user's tickets", querystring, response: { 200: Type.Object({ tickets: Type.Record(Type.String(), TicketViewSchema) }), ...errors(401, 403, 429) } },
  }, async (request) => ({ tickets: await listUserTickets(deps, (await auth.user(request)).userId) }));

  app.get('/v2/user/tickets/:ticketId', {
    schema: { tags, security: Security.user, summary: "Get one of the user's tickets", params: TicketParams, querystring, response: { 200: TicketViewSchema, ...errors(401, 403, 404, 429) } },
  }, async (request) => getUserTicket(deps, (await auth.user(request)).userId, request.params.ticketId));

  app.put('/v2/user/tickets/:ticketId/cancel', {
    schema: { tags, security: Security.user, summary: 'Cancel a ticket', params: TicketParams, querystring, response: { 200: TicketViewSchema, ...errors(401, 403, 404, 409, 429) } },
  }, async (request) => cancelUserTicket(deps, (await auth.user(request)).userId, request.params.ticketId));

  app.put('/v2/user/tickets/:ticketId/notifications', {
    schema: {
      tags, security: Security.user, summary: 'Change how the ticket notifies its holder',
      description: 'Answers 200 with an empty body. Later changes of the ticket reach the channels given here.',
      params: TicketParams, querystring, body: SubscriptionInput, response: errors(400, 401, 403, 404, 409, 429),
    },
  }, async (request, reply) => {
    await subscribeUserTicket(deps, (await auth.user(request)).userId, request.params.ticketId, request.body);
    // docs/design.md §Routes promises 200 with an empty body, which no response schema can describe.
    return reply.code(200).send(undefined as never);
  });

  app.put('/v2/user/tickets/:ticketId/confirm', {
    schema: {
      tags, security: Security.user, summary: 'Confirm coming', description: 'Where the queue asks people to confirm, a ticket near its turn waits in state 50; confirming alerts it (100). Confirming an alerted ticket changes nothing.',
      params: TicketParams, querystring, response: { 200: TicketViewSchema, ...errors(401, 403, 404, 409, 429) },
    },
  }, async (request) => confirmUserTicket(deps, (await auth.user(request)).userId, request.params.ticketId));

  app.put('/v2/user/tickets/:ticketId/report', {
    schema: {
      tags, security: Security.user, summary: 'Postpone an appointment', description: 'Moves a waiting appointment to another free slot of its type (409 SLOT_UNAVAILABLE otherwise); its reminders move with it.',
      params: TicketParams, querystring, body: ReportInput, response: { 200: TicketViewSchema, ...errors(400, 401, 403, 404, 409, 429) },
    },
  }, async (request) => reportUserTicket(deps, (await auth.user(request)).userId, request.params.ticketId, request.body));

  app.put('/v2/user/tickets/:ticketId/rate', {
    schema: {
      tags, security: Security.user, summary: 'Rate a visit', description: 'Once, on a done ticket: a rating from 1 to 5 and an optional comment.',
      params: TicketParams, querystring, body: RateInput, response: { 200: TicketViewSchema, ...errors(400, 401, 403, 404, 409, 429) },
    },
  }, async (request) => rateUserTicket(deps, (await auth.user(request)).userId, request.params.ticketId, request.body));
}
