/** Appointment routes: availabilities on the booking side (booking key), types and opening hours on the admin side (admin). */
import { Type } from 'typebox';
import type { FastifyRequest } from 'fastify';
import { routeGroup } from '../../platform/http/route-group.js';
import { allowBookingBrowsers } from '../http/browser-cors.js';
import type { HttpServer } from '../../platform/http/server.js';
import type { QueueServiceDeps } from '../deps.js';
import type { Auth } from '../http/auth.js';
import { requireAdmin, requireBookingKey } from '../http/callers.js';
import { Id, KeyOnlyQuery, Query, Security, errors } from '../http/schemas.js';
import { findAppointmentType } from '../db/queries/appointment-types.js';
import { findQueue } from '../db/queries/queues.js';
import { ownedBy } from '../http/admin-scope.js';
import {
  changeAppointmentType,
  clearOpeningHours,
  createAppointmentType,
  getOpeningHours,
  listAppointmentTypes,
  removeAppointmentType,
  setOpeningHours,
} from './admin.js';
import { AppointmentTypesView } from '../entities/catalog-views.js';
import {
  getQueueOpeningHours,
  listAvailabilities,
  listAvailabilitiesV1,
  listDaysWithAvailabilities,
  listQueueAppointmentTypes,
} from './catalog.js';
import { OpeningHoursSchema } from './opening-hours.js';
import {
  AppointmentTypeInput,
  AppointmentTypePatch,
  AppointmentTypeView,
  AvailabilitiesView,
  AvailabilityFilters,
  DaysFilters,
  DaysView,
  OpeningHoursView,
} from './schemas.js';

const QueueParams = Type.Object({ queueId: Id });
const TypeParams = Type.Object({ appointmentTypeId: Id });

export async function registerAppointmentRoutes(app: HttpServer, deps: QueueServiceDeps, auth: Auth): Promise<void> {
  await routeGroup(app, (scope) => {
    allowBookingBrowsers(scope);
    requireBookingKey(scope, auth);
    bookingRoutes(scope, deps);
  });
  await routeGroup(app, (scope) => {
    requireAdmin(scope, auth);
    adminRoutes(scope, deps);
  });
}

function bookingRoutes(scope: HttpServer, deps: QueueServiceDeps): void {
  const booking = ['booking'];

  scope.get(
    '/v2/queues/:queueId/appointmentTypes',
    {
      schema: {
        tags: booking,
        security: Security.key,
        summary: 'List the appointment types of a queue',
        description: "Keyed by appointmentTypeId, as in the queue's appointmentTypes; a queue without any has its walk-in type.",
        params: QueueParams,
        querystring: KeyOnlyQuery,
        response: { 200: AppointmentTypesView, ...errors(401, 403, 404, 429) },
      },
    },
    async (request) => listQueueAppointmentTypes(deps, request.companyKey.companyId, request.params.queueId),
  );

  scope.get(
    '/v2/queues/:queueId/openingHours',
    {
      schema: {
        tags: booking,
        security: Security.key,
        summary: 'Get the opening hours of a queue',
        description: 'Wall times in the place time zone; null when the queue has none (appointments at any time).',
        params: QueueParams,
        querystring: KeyOnlyQuery,
        response: { 200: OpeningHoursView, ...errors(401, 403, 404, 429) },
      },
    },
    async (request) => getQueueOpeningHours(deps, request.companyKey.companyId, request.params.queueId),
  );

  scope.get(
    '/v2/queues/:queueId/availabilities',
    {
      schema: {
        tags: booking,
        security: Security.key,
        summary: 'Free slots of a day (Lineberty 2.0.0 form)',
        description:
          "Slots of one appointment type (the queue's only one when omitted) on a local date of the place (today when omitted), with room for the group and not started yet; for the walk-in type (the queue's id, or a queue without types) one FIFO slot starting now while booking is open. Book one by sending its start as bookedFor.",
        params: QueueParams,
        querystring: Query(AvailabilityFilters),
        response: { 200: AvailabilitiesView, ...errors(400, 401, 403, 404, 429) },
      },
    },
    async (request) => {
      const { date, groupSize, appointmentTypeId } = request.query;
      return listAvailabilities(deps, request.companyKey.companyId, request.params.queueId, date, { groupSize, appointmentTypeId });
    },
  );

  scope.get(
    '/v2/queues/:queueId/appointmentTypes/:appointmentTypeId/groupSize/:groupSize/availabilities',
    {
      schema: {
        tags: booking,
        security: Security.key,
        summary: 'Free slots, Lineberty 1.x form',
        description:
          "A list of values to send as is as bookedFor: the free slot starts of the next seven local days; for the walk-in type (the queue's id) the moment of asking while booking is open.",
        params: Type.Object({ queueId: Id, appointmentTypeId: Id, groupSize: Type.Integer({ minimum: 1, maximum: 100 }) }),
        querystring: KeyOnlyQuery,
        response: { 200: Type.Array(Type.String({ format: 'date-time' })), ...errors(400, 401, 403, 404, 429) },
      },
    },
    async (request) => {
      const { queueId, appointmentTypeId, groupSize } = request.params;
      return listAvailabilitiesV1(deps, request.companyKey.companyId, queueId, appointmentTypeId, groupSize);
    },
  );

  scope.get(
    '/v2/queues/:queueId/daysWithAvailabilities',
    {
      schema: {
        tags: booking,
        security: Security.key,
        summary: 'Days that still have a free slot',
        description: 'Local dates from start to end (at most 92) with at least one free slot for the group.',
        params: QueueParams,
        querystring: Query(DaysFilters),
        response: { 200: DaysView, ...errors(400, 401, 403, 404, 429) },
      },
    },
    async (request) => {
      const { start, end, groupSize, appointmentTypeId } = request.query;
      return listDaysWithAvailabilities(deps, request.companyKey.companyId, request.params.queueId, start, end, {
        groupSize,
        appointmentTypeId,
      });
    },
  );
}

function adminRoutes(scope: HttpServer, deps: QueueServiceDeps): void {
  const tags = ['admin'];
  const security = Security.admin;
  const db = deps.database.db;
  const queue = async (request: FastifyRequest, queueId: string) => ownedBy(request.admin, await findQueue(db, queueId), 'QUEUE_NOT_FOUND');
  const type = async (request: FastifyRequest, typeId: string) =>
    ownedBy(request.admin, await findAppointmentType(db, typeId), 'APPOINTMENT_TYPE_NOT_FOUND');

  scope.post(
    '/admin/queues/:queueId/appointmentTypes',
    {
      schema: {
        tags,
        security,
        summary: 'Create an appointment type',
        description: 'Slots of the type are cut from the opening hours by its duration; each holds `capacity` people.',
        params: QueueParams,
        body: AppointmentTypeInput,
        response: { 201: AppointmentTypeView, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createAppointmentType(deps, await queue(request, request.params.queueId), request.body)),
  );

  scope.get(
    '/admin/queues/:queueId/appointmentTypes',
    {
      schema: {
        tags,
        security,
        summary: 'List the appointment types of a queue',
        params: QueueParams,
        response: { 200: Type.Array(AppointmentTypeView), ...errors(401, 403, 404) },
      },
    },
    async (request) => listAppointmentTypes(deps, await queue(request, request.params.queueId)),
  );

  scope.patch(
    '/admin/appointmentTypes/:appointmentTypeId',
    {
      schema: {
        tags,
        security,
        summary: 'Change an appointment type',
        params: TypeParams,
        body: AppointmentTypePatch,
        response: { 200: AppointmentTypeView, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => changeAppointmentType(deps, await type(request, request.params.appointmentTypeId), request.body),
  );

  scope.delete(
    '/admin/appointmentTypes/:appointmentTypeId',
    {
      schema: {
        tags,
        security,
        summary: 'Delete an appointment type',
        description: 'Booked appointments keep their time.',
        params: TypeParams,
        response: { 204: Type.Null(), ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await removeAppointmentType(deps, await type(request, request.params.appointmentTypeId));
      return reply.code(204).send(null);
    },
  );

  scope.get(
    '/admin/queues/:queueId/openingHours',
    {
      schema: {
        tags,
        security,
        summary: 'Get the opening hours of a queue',
        params: QueueParams,
        response: { 200: OpeningHoursView, ...errors(401, 403, 404) },
      },
    },
    async (request) => getOpeningHours(deps, await queue(request, request.params.queueId)),
  );

  scope.put(
    '/admin/queues/:queueId/openingHours',
    {
      schema: {
        tags,
        security,
        summary: 'Set the opening hours of a queue',
        description: 'Ranges of wall time per weekday in the place time zone, and exceptions for dates (an empty list closes the date).',
        params: QueueParams,
        body: OpeningHoursSchema,
        response: { 200: OpeningHoursView, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => setOpeningHours(deps, await queue(request, request.params.queueId), request.body),
  );

  scope.delete(
    '/admin/queues/:queueId/openingHours',
    {
      schema: {
        tags,
        security,
        summary: 'Remove the opening hours of a queue',
        description: 'It then takes appointments at any time.',
        params: QueueParams,
        response: { 204: Type.Null(), ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await clearOpeningHours(deps, await queue(request, request.params.queueId));
      return reply.code(204).send(null);
    },
  );
}
