/** A person's appointment as an .ics file (docs/design.md §Calendars), behind the booking key and their user token. */
import { Type } from 'typebox';
import { AppError } from '../../contract/errors.js';
import { routeGroup } from '../../platform/http/route-group.js';
import type { HttpServer } from '../../platform/http/server.js';
import type { QueueServiceDeps } from '../deps.js';
import type { Auth } from '../http/auth.js';
import { requireUser } from '../http/callers.js';
import { Id, KeyOnlyQuery, Security, errors } from '../http/schemas.js';
import { findTicketForUser } from '../db/queries/tickets.js';
import { appointmentEventOf, appointmentIcs } from './calendar.js';

export async function registerCalendarRoutes(app: HttpServer, deps: QueueServiceDeps, auth: Auth): Promise<void> {
  await routeGroup(app, (scope) => {
    requireUser(scope, auth);
    scope.get(
      '/v2/user/tickets/:ticketId/calendar.ics',
      {
        schema: {
          tags: ['booking'],
          security: Security.user,
          summary: 'The appointment as an iCalendar event, to add to a calendar',
          description: 'A canceled appointment answers a CANCEL of the same event (same UID, a higher SEQUENCE).',
          params: Type.Object({ ticketId: Id }),
          querystring: KeyOnlyQuery,
          response: { 200: Type.String({ description: 'text/calendar' }), ...errors(401, 404, 409) },
        },
      },
      async (request, reply) => {
        const ticket = await findTicketForUser(deps.database.db, request.user.userId, request.params.ticketId);
        if (!ticket) throw new AppError('TICKET_NOT_FOUND');
        const event = await appointmentEventOf(deps.database.db, ticket, deps.clock.now());
        if (!event) throw new AppError('NOT_AN_APPOINTMENT', 'Only an appointment has a calendar event.');
        return reply
          .type('text/calendar; charset=utf-8')
          .header('content-disposition', `attachment; filename="${ticket.label}.ics"`)
          .send(appointmentIcs(event));
      },
    );
  });
}
