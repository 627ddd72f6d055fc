/**
 * Walk-in routes (docs/design.md §Kiosks): the kiosk's own group behind its kiosk key, and the
 * desk's "add a visitor" inside a counter group. Both answer the ticket with the walk-in's user
 * token and the path a phone follows it at.
 */
import { Type } from 'typebox';
import { requireCaller, routeGroup } from '../../platform/http/route-group.js';
import type { HttpServer } from '../../platform/http/server.js';
import type { QueueServiceDeps } from '../deps.js';
import type { Auth } from '../http/auth.js';
import { requireCounter } from '../http/callers.js';
import { Id, Security, errors } from '../http/schemas.js';
import { TicketViewSchema } from '../http/ticket-schema.js';
import { SubscriptionFields } from '../booking/contact.js';
import { QueueStateView } from '../booking/schemas.js';
import { bookAtCounter, bookAtKiosk, kioskHome, kioskOfKey, type KioskCaller } from './kiosks.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** A kiosk key: one tablet at one place. */
    kiosk: KioskCaller;
  }
}

const WalkInBody = Type.Object(
  {
    queueId: Id,
    groupSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    userData: SubscriptionFields.userData,
    sendClientSms: SubscriptionFields.sendClientSms,
    lang: SubscriptionFields.lang,
  },
  { additionalProperties: false },
);
/** Staff may also mark the visitor priority, where the queue allows it (docs/design.md §Moving tickets). */
const DeskWalkInBody = Type.Object(
  {
    ...WalkInBody.properties,
    priority: Type.Optional(Type.Boolean({ description: "Called before the rest of the line; needs the queue's priorityAllowed." })),
  },
  { additionalProperties: false },
);
const WalkInView = Type.Object({
  ticket: TicketViewSchema,
  userToken: Type.String({ description: "The walk-in's own user token, for the phone that follows the ticket." }),
  followPath: Type.String({ description: 'The ticket page path that follows this ticket; the token is in its fragment.' }),
});
const tags = ['kiosk'];
const Names = Type.Record(Type.String(), Type.String(), { description: 'Own names per locale, beside the default name.' });

export async function registerKioskRoutes(app: HttpServer, deps: QueueServiceDeps, auth: Auth): Promise<void> {
  await routeGroup(app, (scope) => {
    requireCaller(scope, 'kiosk', async (request) => {
      // A kiosk is one device: the address limit bounds a stolen key as much as a guesser.
      auth.limitAddress(request);
      const key = request.headers['x-kiosk-key'];
      return kioskOfKey(deps, typeof key === 'string' ? key : undefined);
    });
    kioskRoutes(scope, deps, auth);
  });
  await routeGroup(app, (scope) => {
    requireCounter(scope, auth);
    scope.post(
      '/v2/endpoints/:endpointId/walk-ins',
      {
        schema: {
          tags: ['validation'],
          security: [...Security.operator, ...Security.key],
          summary: 'Add a visitor at the counter: a ticket in one of the queues it serves',
          params: Type.Object({ endpointId: Id }),
          body: DeskWalkInBody,
          response: { 201: WalkInView, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await bookAtCounter(deps, auth, request.counter.companyId, request.params.endpointId, request.body)),
    );
  });
}

function kioskRoutes(scope: HttpServer, deps: QueueServiceDeps, auth: Auth): void {
  const security = [{ kioskKey: [] }];
  scope.get(
    '/v2/kiosk',
    {
      schema: {
        tags,
        security,
        summary: "The kiosk's place and the queues one can join there",
        response: {
          200: Type.Object({
            kioskId: Type.String(),
            place: Type.Object({ placeId: Type.String(), name: Type.String(), names: Names, timeZone: Type.String(), lang: Type.String() }),
            queues: Type.Array(Type.Object({ queueId: Type.String(), name: Type.String(), names: Names, state: QueueStateView })),
          }),
          ...errors(401, 429),
        },
      },
    },
    async (request) => kioskHome(deps, request.kiosk),
  );
  scope.post(
    '/v2/kiosk/tickets',
    {
      schema: {
        tags,
        security,
        summary: 'Give a walk-in a ticket in one of the kiosk place’s queues',
        description: 'The ticket belongs to a new user of its own; `followPath` carries its token to the phone that scans the QR code.',
        body: WalkInBody,
        response: { 201: WalkInView, ...errors(400, 401, 404, 409, 429) },
      },
    },
    async (request, reply) => reply.code(201).send(await bookAtKiosk(deps, auth, request.kiosk, request.body)),
  );
}
