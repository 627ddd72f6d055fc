/** Admin routes for places, their queues and their counters (endpoints). */
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { HttpServer } from '../../platform/http/server.js';
import type { QueueServiceDeps } from '../deps.js';
import { Security, errors } from '../http/schemas.js';
import { findEndpoint } from '../db/queries/endpoints.js';
import { findPlace } from '../db/queries/places.js';
import { findQueue } from '../db/queries/queues.js';
import { createEndpoint, listEndpoints, presentEndpoint, removeEndpoint, updateEndpoint } from './endpoints.js';
import { EndpointView, PlaceView, placeView } from '../entities/views.js';
import { createPlace, listPlaces, removePlace, updatePlace } from './places.js';
import { createQueue, listQueues, queueView, removeQueue, updateQueue } from './queues.js';
import {
  CompanyParams,
  EndpointInput,
  EndpointParams,
  EndpointPatch,
  PlaceInput,
  PlaceParams,
  PlacePatch,
  QueueInput,
  QueueParams,
  QueuePatch,
  QueueView,
} from './schemas.js';
import { companyInScope, ownedBy } from '../http/admin-scope.js';

/** Inside the admin group: `request.admin` is the caller. */
export function registerPlaceRoutes(scope: HttpServer, deps: QueueServiceDeps): void {
  const tags = ['admin'];
  const security = Security.admin;
  const db = deps.database.db;
  const place = async (request: FastifyRequest, placeId: string) => ownedBy(request.admin, await findPlace(db, placeId), 'PLACE_NOT_FOUND');
  const queue = async (request: FastifyRequest, queueId: string) => ownedBy(request.admin, await findQueue(db, queueId), 'QUEUE_NOT_FOUND');
  const endpoint = async (request: FastifyRequest, endpointId: string) =>
    ownedBy(request.admin, await findEndpoint(db, endpointId), 'ENDPOINT_NOT_FOUND');

  scope.post(
    '/admin/companies/:companyId/places',
    {
      schema: {
        tags,
        security,
        summary: 'Create a place',
        description: 'A place has an IANA time zone (labels restart each local day) and a default language.',
        params: CompanyParams,
        body: PlaceInput,
        response: { 201: PlaceView, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createPlace(deps, companyInScope(request.admin, request.params.companyId), request.body)),
  );

  scope.get(
    '/admin/companies/:companyId/places',
    {
      schema: {
        tags,
        security,
        summary: 'List places',
        params: CompanyParams,
        response: { 200: Type.Array(PlaceView), ...errors(401, 403, 404) },
      },
    },
    async (request) => listPlaces(deps, companyInScope(request.admin, request.params.companyId)),
  );

  scope.get(
    '/admin/places/:placeId',
    {
      schema: { tags, security, summary: 'Get a place', params: PlaceParams, response: { 200: PlaceView, ...errors(401, 403, 404) } },
    },
    async (request) => placeView(await place(request, request.params.placeId)),
  );

  scope.patch(
    '/admin/places/:placeId',
    {
      schema: {
        tags,
        security,
        summary: 'Change a place',
        params: PlaceParams,
        body: PlacePatch,
        response: { 200: PlaceView, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => updatePlace(deps, await place(request, request.params.placeId), request.body),
  );

  scope.delete(
    '/admin/places/:placeId',
    {
      schema: {
        tags,
        security,
        summary: 'Delete a place with its queues and counters',
        params: PlaceParams,
        response: { 204: Type.Null(), ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await removePlace(deps, await place(request, request.params.placeId));
      return reply.code(204).send(null);
    },
  );

  scope.post(
    '/admin/places/:placeId/queues',
    {
      schema: {
        tags,
        security,
        summary: 'Create a queue',
        params: PlaceParams,
        body: QueueInput,
        response: { 201: QueueView, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => reply.code(201).send(await createQueue(deps, await place(request, request.params.placeId), request.body)),
  );

  scope.get(
    '/admin/places/:placeId/queues',
    {
      schema: {
        tags,
        security,
        summary: 'List the queues of a place',
        params: PlaceParams,
        response: { 200: Type.Array(QueueView), ...errors(401, 403, 404) },
      },
    },
    async (request) => listQueues(deps, await place(request, request.params.placeId)),
  );

  scope.get(
    '/admin/queues/:queueId',
    {
      schema: {
        tags,
        security,
        summary: 'Get a queue with its settings',
        params: QueueParams,
        response: { 200: QueueView, ...errors(401, 403, 404) },
      },
    },
    async (request) => queueView(await queue(request, request.params.queueId)),
  );

  scope.patch(
    '/admin/queues/:queueId',
    {
      schema: {
        tags,
        security,
        summary: 'Change a queue',
        description: 'Settings are merged: only the given keys change.',
        params: QueueParams,
        body: QueuePatch,
        response: { 200: QueueView, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => updateQueue(deps, await queue(request, request.params.queueId), request.body),
  );

  scope.delete(
    '/admin/queues/:queueId',
    {
      schema: {
        tags,
        security,
        summary: 'Delete a queue and its tickets',
        params: QueueParams,
        response: { 204: Type.Null(), ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await removeQueue(deps, await queue(request, request.params.queueId));
      return reply.code(204).send(null);
    },
  );

  scope.post(
    '/admin/places/:placeId/endpoints',
    {
      schema: {
        tags,
        security,
        summary: 'Create a counter (endpoint)',
        description: 'A counter serves one or more queues of its place.',
        params: PlaceParams,
        body: EndpointInput,
        response: { 201: EndpointView, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => reply.code(201).send(await createEndpoint(deps, await place(request, request.params.placeId), request.body)),
  );

  scope.get(
    '/admin/places/:placeId/endpoints',
    {
      schema: {
        tags,
        security,
        summary: 'List the counters of a place',
        params: PlaceParams,
        response: { 200: Type.Array(EndpointView), ...errors(401, 403, 404) },
      },
    },
    async (request) => listEndpoints(deps, await place(request, request.params.placeId)),
  );

  scope.get(
    '/admin/endpoints/:endpointId',
    {
      schema: {
        tags,
        security,
        summary: 'Get a counter',
        params: EndpointParams,
        response: { 200: EndpointView, ...errors(401, 403, 404) },
      },
    },
    async (request) => presentEndpoint(deps, await endpoint(request, request.params.endpointId)),
  );

  scope.patch(
    '/admin/endpoints/:endpointId',
    {
      schema: {
        tags,
        security,
        summary: 'Change a counter',
        params: EndpointParams,
        body: EndpointPatch,
        response: { 200: EndpointView, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => updateEndpoint(deps, await endpoint(request, request.params.endpointId), request.body),
  );

  scope.delete(
    '/admin/endpoints/:endpointId',
    {
      schema: {
        tags,
        security,
        summary: 'Delete a counter',
        params: EndpointParams,
        response: { 204: Type.Null(), ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await removeEndpoint(deps, await endpoint(request, request.params.endpointId));
      return reply.code(204).send(null);
    },
  );
}
