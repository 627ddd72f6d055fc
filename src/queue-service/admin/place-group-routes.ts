/** Admin routes for the subplaces and categories of a place (docs/lineberty.md §Place). */
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { HttpServer } from '../../platform/http/server.js';
import type { QueueServiceDeps } from '../deps.js';
import { Id, Name, Security, errors } from '../http/schemas.js';
import { ownedBy } from '../http/admin-scope.js';
import { findPlace } from '../db/queries/places.js';
import { findPlaceGroup, type PlaceGroupKind } from '../db/queries/place-groups.js';
import type { Subplace } from '../db/schema.js';
import { createPlaceGroup, listGroupsOfPlace, removePlaceGroup } from './place-groups.js';
import { PlaceParams } from './schemas.js';

const Names = Type.Record(Type.String({ pattern: '^[a-z]{2}(_[A-Z]{2})?$' }), Type.String({ minLength: 1, maxLength: 100 }), {
  maxProperties: 20,
});
const GroupInput = Type.Object({ name: Name, names: Type.Optional(Names) }, { additionalProperties: false });
const GroupView = Type.Object({
  id: Id,
  placeId: Id,
  subplaceId: Type.Optional(
    Type.Union([Id, Type.Null()], { description: 'Categories only: the subplace it belongs to, or null (the place).' }),
  ),
  name: Type.String(),
  names: Type.Record(Type.String(), Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
});

const KINDS = [
  { kind: 'subplaces', one: 'subplace', param: 'subplaceId', notFound: 'SUBPLACE_NOT_FOUND' },
  { kind: 'categories', one: 'category', param: 'categoryId', notFound: 'CATEGORY_NOT_FOUND' },
] as const;

/** Inside the admin group: `request.admin` is the caller. */
export function registerPlaceGroupRoutes(scope: HttpServer, deps: QueueServiceDeps): void {
  const tags = ['admin'];
  const security = Security.admin;
  const db = deps.database.db;
  const place = async (request: FastifyRequest, placeId: string) => ownedBy(request.admin, await findPlace(db, placeId), 'PLACE_NOT_FOUND');

  for (const { kind, one, param, notFound } of KINDS) {
    const group = async (request: FastifyRequest, id: string) => ownedBy(request.admin, await findPlaceGroup(db, kind, id), notFound);
    scope.post(
      `/admin/places/:placeId/${kind}`,
      {
        schema: {
          tags,
          security,
          summary: `Create a ${one} of a place`,
          description:
            'A place has subplaces or categories of its own, never both (409 PLACE_GROUPED_OTHERWISE); categories of a subplace are created under the subplace.',
          params: PlaceParams,
          body: GroupInput,
          response: { 201: GroupView, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(await createPlaceGroup(deps, kind as PlaceGroupKind, await place(request, request.params.placeId), request.body)),
    );
    scope.get(
      `/admin/places/:placeId/${kind}`,
      {
        schema: {
          tags,
          security,
          summary: `List the ${kind} of a place`,
          description: kind === 'categories' ? 'Its own and its subplaces’ (subplaceId tells them apart).' : undefined,
          params: PlaceParams,
          response: { 200: Type.Array(GroupView), ...errors(401, 403, 404) },
        },
      },
      async (request) => listGroupsOfPlace(deps, kind, await place(request, request.params.placeId)),
    );
    scope.delete(
      `/admin/${kind}/:${param}`,
      {
        schema: {
          tags,
          security,
          summary: `Delete a ${one}`,
          description: 'Its queues stay, listed directly under the place.',
          params: Type.Object({ [param]: Id }),
          response: { 204: Type.Null(), ...errors(401, 403, 404) },
        },
      },
      async (request, reply) => {
        await removePlaceGroup(deps, kind, await group(request, (request.params as Record<string, string>)[param]!));
        return reply.code(204).send(null);
      },
    );
  }
  const subplace = async (request: FastifyRequest, id: string) =>
    ownedBy(request.admin, (await findPlaceGroup(db, 'subplaces', id)) as Subplace | undefined, 'SUBPLACE_NOT_FOUND');
  const SubplaceParams = Type.Object({ subplaceId: Id });
  scope.post(
    '/admin/subplaces/:subplaceId/categories',
    {
      schema: {
        tags,
        security,
        summary: 'Create a category of a subplace',
        description: 'Queues listed under it are listed under the subplace too (Lineberty: a category belongs to a place or a subplace).',
        params: SubplaceParams,
        body: GroupInput,
        response: { 201: GroupView, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const group = await subplace(request, request.params.subplaceId);
      const owner = await place(request, group.place_id);
      return reply.code(201).send(await createPlaceGroup(deps, 'categories', owner, request.body, group));
    },
  );
  scope.get(
    '/admin/subplaces/:subplaceId/categories',
    {
      schema: {
        tags,
        security,
        summary: 'List the categories of a subplace',
        params: SubplaceParams,
        response: { 200: Type.Array(GroupView), ...errors(401, 403, 404) },
      },
    },
    async (request) => {
      const group = await subplace(request, request.params.subplaceId);
      return listGroupsOfPlace(deps, 'categories', await place(request, group.place_id), group);
    },
  );
}
