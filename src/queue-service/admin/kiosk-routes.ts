/** Admin routes for kiosks (docs/design.md §Kiosks): create one for a place (its key shown once), list, revoke. */
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { HttpServer } from '../../platform/http/server.js';
import type { QueueServiceDeps } from '../deps.js';
import { Id, Name, Security, errors } from '../http/schemas.js';
import { ownedBy } from '../http/admin-scope.js';
import { findPlace } from '../db/queries/places.js';
import { findKiosk, listKiosksForPlace, revokeKiosk } from '../db/queries/kiosks.js';
import { createKiosk, kioskView } from '../kiosk/kiosks.js';

const KioskView = Type.Object({
  kioskId: Type.String(),
  placeId: Type.String(),
  name: Type.String(),
  keyPrefix: Type.String(),
  createdAt: Type.String(),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
});

export function registerKioskAdminRoutes(scope: HttpServer, deps: QueueServiceDeps): void {
  const tags = ['admin'];
  const security = Security.admin;
  const db = deps.database.db;
  const place = async (request: FastifyRequest, placeId: string) => ownedBy(request.admin, await findPlace(db, placeId), 'PLACE_NOT_FOUND');

  scope.post(
    '/admin/places/:placeId/kiosks',
    {
      schema: {
        tags,
        security,
        summary: 'Add a kiosk to a place',
        description: 'Answers the kiosk key once (`qbk_…`); only its hash is kept. The key books in this place only.',
        params: Type.Object({ placeId: Id }),
        body: Type.Object({ name: Name }, { additionalProperties: false }),
        response: { 201: Type.Object({ kiosk: KioskView, key: Type.String() }), ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createKiosk(deps, await place(request, request.params.placeId), request.body.name)),
  );

  scope.get(
    '/admin/places/:placeId/kiosks',
    {
      schema: {
        tags,
        security,
        summary: "A place's kiosks, revoked ones included",
        params: Type.Object({ placeId: Id }),
        response: { 200: Type.Array(KioskView), ...errors(401, 403, 404) },
      },
    },
    async (request) => (await listKiosksForPlace(db, (await place(request, request.params.placeId)).id)).map(kioskView),
  );

  scope.delete(
    '/admin/kiosks/:kioskId',
    {
      schema: {
        tags,
        security,
        summary: 'Revoke a kiosk: its key stops working at once',
        params: Type.Object({ kioskId: Id }),
        response: { 204: Type.Null(), ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const kiosk = ownedBy(request.admin, await findKiosk(db, request.params.kioskId), 'KIOSK_NOT_FOUND');
      await revokeKiosk(db, kiosk.id, deps.clock.now());
      return reply.code(204).send(null);
    },
  );
}
