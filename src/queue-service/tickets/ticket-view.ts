/** A ticket row → the ticket as the API shows it and as `message.data` carries it (docs/design.md §The message). */
import { nameIn, namesInEveryLocale } from '../../contract/locale.js';
import type { TicketPosition, TicketView } from '../../contract/message.js';
import { toIso, toIsoOrNull } from '../../platform/clock.js';
import type { Ticket } from '../db/schema.js';
import type { TicketContext } from '../entities/ticket-context.js';

export interface TicketViewExtras {
  context: TicketContext;
  position: TicketPosition | null;
  estimatedFor: number | null;
}

export function toTicketView(ticket: Ticket, extras: TicketViewExtras): TicketView {
  const { context } = extras;
  const lang = ticket.lang;
  // A ticket without a type was booked with the queue's own walk-in type (docs/lineberty.md §Appointment types).
  const type = ticket.appointment_type_id ? context.appointmentTypes.get(ticket.appointment_type_id) : undefined;
  return {
    ticketId: ticket.id,
    label: ticket.label,
    state: ticket.state,
    companyId: ticket.company_id,
    place: { placeId: ticket.place_id, name: nameIn(lang, context.place.name, context.place.names) },
    queue: { queueId: ticket.queue_id, name: nameIn(lang, context.queue.name, context.queue.names) },
    appointmentType: {
      appointmentTypeId: type ? ticket.appointment_type_id! : ticket.queue_id,
      name: nameIn(lang, (type ?? context.queue).name, (type ?? context.queue).names),
    },
    language: lang,
    groupSize: ticket.group_size,
    source: ticket.source,
    isAnAppointment: ticket.is_appointment === 1,
    bookedFor: toIsoOrNull(ticket.booked_for),
    userData: { name: ticket.name, phone: ticket.phone, mail: ticket.mail },
    notifications: {
      pushId: ticket.push_id,
      sendClientPush: ticket.send_push === 1,
      sendClientSms: ticket.send_sms === 1,
      sendClientMail: ticket.send_mail === 1,
      smsFallback: ticket.sms_fallback === 1,
      emailFallback: ticket.email_fallback === 1,
    },
    endpoint:
      ticket.endpoint_id && context.endpoint
        ? {
            endpointId: ticket.endpoint_id,
            name: nameIn(lang, context.endpoint.name, context.endpoint.names),
            names: namesInEveryLocale(context.endpoint.name, context.endpoint.names),
          }
        : null,
    recallCount: ticket.recall_count,
    ticketPosition: extras.position,
    timeline: {
      bookedAt: toIso(ticket.booked_at),
      estimatedFor: toIsoOrNull(extras.estimatedFor),
      toConfirmAt: toIsoOrNull(ticket.to_confirm_at),
      alertedAt: toIsoOrNull(ticket.alerted_at),
      calledAt: toIsoOrNull(ticket.called_at),
      onHoldAt: toIsoOrNull(ticket.on_hold_at),
      noShowAt: toIsoOrNull(ticket.no_show_at),
      inProgressAt: toIsoOrNull(ticket.in_progress_at),
      canceledAt: toIsoOrNull(ticket.canceled_at),
      doneAt: toIsoOrNull(ticket.done_at),
      updatedAt: toIso(ticket.updated_at),
    },
    rating: ticket.rating === null ? null : { rating: ticket.rating, comment: ticket.rating_comment },
    ...(ticket.priority === 1 ? { priority: true as const } : {}),
    ...(ticket.checked_in_at != null ? { checkedInAt: toIso(ticket.checked_in_at) } : {}),
    ...(ticket.late_minutes != null && ticket.late_at != null
      ? { runningLate: { minutes: ticket.late_minutes, at: toIso(ticket.late_at) } }
      : {}),
  };
}
