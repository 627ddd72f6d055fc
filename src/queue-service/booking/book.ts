/**
 * Step ② (docs/design.md §The four steps): a person takes a ticket; the ticket and its
 * TICKET_BOOKED messages commit together, through the unit of work (docs/design.md §Unit of work).
 */
import { Type, type Static } from 'typebox';
import { AppError } from '../../contract/errors.js';
import type { TicketView } from '../../contract/message.js';
import { TicketState } from '../../contract/ticket-states.js';
import { newSortableId } from '../../platform/ids.js';
import type { QueueServiceDeps } from '../deps.js';
import type { NewTicket } from '../db/schema.js';
import type { QueueDb } from '../db/types.js';
import { findQueueWithPlaceForCompany } from '../db/queries/queues.js';
import { takeNextLabelNumber } from '../db/queries/label-counters.js';
import { formatLabel } from '../tickets/labels.js';
import { parseQueueSettings, type QueueSettings } from '../entities/queue-settings.js';
import { appointmentTypeNamesOf, named, type TicketContext } from '../entities/ticket-context.js';
import { NO_CONTACT, SubscriptionFields, resolveContact } from './contact.js';
import { assertSmsCountry, assertVerifiedContacts } from './contact-verification.js';
import { assertOpenTicketLimits, type BookingBudgets } from './fair-use.js';
import { bookingGate } from '../appointments/booking-gate.js';
import { runTicketUnit } from '../tickets/unit-of-work.js';
import { takeSlot } from '../appointments/availability.js';
import { localDay } from '../appointments/zoned-time.js';
import { findAppointmentType } from '../db/queries/appointment-types.js';
import { assertPriorityAllowed } from '../entities/queue-settings.js';

export const BookingInput = Type.Object(
  {
    ...SubscriptionFields,
    groupSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    appointmentTypeId: Type.Optional(
      Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()], {
        description: "The queue's id is its walk-in type: joining the line now, whatever bookedFor says.",
      }),
    ),
    bookedFor: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Literal(''), Type.Null()])),
    source: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 50 }), Type.Literal(''), Type.Null()])),
    position: Type.Optional(
      Type.Object(
        {
          lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
          lng: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
        },
        { additionalProperties: false, description: "The person's position, as Lineberty's apps send it ({} when unknown); not stored." },
      ),
    ),
  },
  { additionalProperties: false },
);
export type BookingInput = Static<typeof BookingInput>;

export interface Booker {
  companyId: string;
  userId: string | null;
}

/**
 * The fair-use limits of a person booking with the public key and a user token
 * (booking/fair-use.ts): the process's budgets, the client's address and the key. Trusted callers
 * (a server key, a kiosk) book without them.
 */
export interface FairUse {
  budgets: BookingBudgets;
  address: string;
  keyId: string;
}

export async function bookTicket(
  deps: QueueServiceDeps,
  booker: Booker,
  queueId: string,
  input: BookingInput,
  fairUse?: FairUse,
  staff?: { priority: boolean },
): Promise<TicketView> {
  const now = deps.clock.now();
  let charged = false;
  return runTicketUnit(deps, async (trx, apply) => {
    const queue = await findQueueWithPlaceForCompany(trx, booker.companyId, queueId);
    if (!queue) throw new AppError('QUEUE_NOT_FOUND');
    const settings = parseQueueSettings(queue.settings);
    checkGroupSize(settings, input.groupSize ?? 1);
    if (staff?.priority) assertPriorityAllowed(settings, input.bookedFor ? 1 : 0);
    const contact = resolveContact(input, NO_CONTACT, settings);
    // Once per request, though a version conflict runs this again.
    if (fairUse && booker.userId && !charged) {
      charged = true;
      fairUse.budgets.charge(queue.id, settings, fairUse.address, fairUse.keyId);
    }
    await assertBookable(trx, queue, queue.place_time_zone, now);
    if (contact.sendSms && contact.phone) await assertSmsCountry(trx, booker.companyId, contact.phone);
    await assertVerifiedContacts(trx, settings, booker.userId, contact, now);
    // The walk-in type (the queue's own id) joins the line now: Lineberty 1.x clients send the time they were offered.
    const walkIn = input.appointmentTypeId === queue.id;
    const bookedFor = input.bookedFor && !walkIn ? Date.parse(input.bookedFor) : null;
    // An appointment takes a free slot of its type (appointments/availability.ts) or the booking fails with 409.
    const appointmentTypeId =
      bookedFor === null
        ? await walkInAppointmentType(trx, queue.id, walkIn ? null : input.appointmentTypeId)
        : await takeSlot(trx, {
            queueId: queue.id,
            timeZone: queue.place_time_zone,
            bookedFor,
            appointmentTypeId: input.appointmentTypeId,
            groupSize: input.groupSize ?? 1,
            now,
          });
    const day = localDay(now, queue.place_time_zone);
    const number = await takeNextLabelNumber(trx, queue.id, day);
    // After the label counter's row lock: the queue's bookings are serialised from here on.
    if (fairUse && booker.userId) await assertOpenTicketLimits(trx, queue.id, settings, booker.userId, contact);
    const ticket: NewTicket = {
      id: newSortableId('tkt', now),
      company_id: booker.companyId,
      place_id: queue.place_id,
      queue_id: queue.id,
      user_id: booker.userId,
      label: formatLabel(queue.label_prefix, number),
      label_day: day,
      label_number: number,
      state: TicketState.BOOKED,
      lang: input.lang ?? queue.place_lang,
      group_size: input.groupSize ?? 1,
      source: input.source || null,
      is_appointment: bookedFor !== null ? 1 : 0,
      booked_for: bookedFor,
      appointment_type_id: appointmentTypeId,
      name: contact.name,
      phone: contact.phone,
      mail: contact.mail,
      push_id: contact.pushId,
      send_push: contact.sendPush ? 1 : 0,
      send_sms: contact.sendSms ? 1 : 0,
      send_mail: contact.sendMail ? 1 : 0,
      sms_fallback: contact.smsFallback ? 1 : 0,
      email_fallback: contact.emailFallback ? 1 : 0,
      endpoint_id: null,
      recall_count: 0,
      booked_at: now,
      line_at: now,
      priority: staff?.priority ? 1 : 0,
      to_confirm_at: null,
      alerted_at: null,
      called_at: null,
      on_hold_at: null,
      no_show_at: null,
      in_progress_at: null,
      canceled_at: null,
      done_at: null,
      updated_at: now,
      rating: null,
      rating_comment: null,
      version: 1,
    };
    const context: TicketContext = {
      queue: named(queue),
      place: named({ name: queue.place_name, names: queue.place_names }),
      appointmentTypes: appointmentTypeId === null ? new Map() : await appointmentTypeNamesOf(trx, queue.id),
      settings,
      timeZone: queue.place_time_zone,
      endpoint: null,
    };
    return (await apply({ kind: 'book', ticket, actor: booker.userId ? `user:${booker.userId}` : 'server', now, context })).view;
  });
}

function checkGroupSize(settings: QueueSettings, groupSize: number): void {
  if (groupSize < settings.minGroupSize || groupSize > settings.maxGroupSize) {
    throw new AppError(
      'GROUP_SIZE_OUT_OF_RANGE',
      `This queue takes groups of ${settings.minGroupSize} to ${settings.maxGroupSize} people.`,
      { min: settings.minGroupSize, max: settings.maxGroupSize },
    );
  }
}

async function assertBookable(db: QueueDb, queue: Parameters<typeof bookingGate>[1], timeZone: string, now: number): Promise<void> {
  const gate = await bookingGate(db, queue, timeZone, now);
  if (gate.full || gate.fullForDay)
    throw new AppError('QUEUE_FULL', gate.fullForDay ? 'The queue is full for today.' : 'The queue is full.');
  if (!gate.open) throw new AppError('BOOKING_CLOSED');
}

/**
 * A walk-in may name the appointment type it came for (a kiosk's menu); like an appointment's, it
 * must be a type of this queue, or a stranger's id would be stored on the ticket unchecked.
 */
async function walkInAppointmentType(db: QueueDb, queueId: string, requested: string | null | undefined): Promise<string | null> {
  if (!requested) return null;
  const type = await findAppointmentType(db, requested);
  if (!type || type.queue_id !== queueId)
    throw new AppError('APPOINTMENT_TYPE_NOT_FOUND', 'The queue has no appointment type with this id.');
  return type.id;
}
