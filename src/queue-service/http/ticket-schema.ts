/** The ticket as every route returns it (src/contract/message.ts TicketView), for validation and OpenAPI. */
import { Type } from 'typebox';

const Time = Type.String({ format: 'date-time' });
const NullableTime = Type.Union([Time, Type.Null()]);
const NullableString = Type.Union([Type.String(), Type.Null()]);
const Count = Type.Object({ tickets: Type.Integer(), people: Type.Integer() });

export const TicketViewSchema = Type.Object({
  id: Type.String(),
  label: Type.String({ description: 'Short and human, unique per queue per day, e.g. A012.' }),
  state: Type.Integer({
    description: '0 booked, 50 to confirm, 100 alerted, 200 called, 300 on hold, 400 no show, 500 in progress, 600 canceled, 700 done.',
  }),
  companyId: Type.String(),
  placeId: Type.String(),
  queueId: Type.String(),
  queueName: Type.String(),
  lang: Type.String(),
  groupSize: Type.Integer(),
  source: NullableString,
  isAnAppointment: Type.Boolean(),
  bookedFor: NullableTime,
  appointmentTypeId: NullableString,
  userData: Type.Object({ name: NullableString, phone: NullableString, mail: NullableString }),
  notifications: Type.Object({
    pushId: NullableString,
    sendClientPush: Type.Boolean(),
    sendClientSms: Type.Boolean(),
    sendClientMail: Type.Boolean(),
    smsFallback: Type.Boolean(),
  }),
  endpoint: Type.Union([Type.Object({ id: Type.String(), name: Type.String() }), Type.Null()]),
  recallCount: Type.Integer(),
  ticketPosition: Type.Union([Type.Object({ queue: Count, endpoint: Count }), Type.Null()]),
  timeline: Type.Object({
    bookedAt: Time,
    estimatedFor: NullableTime,
    toConfirmAt: NullableTime,
    alertedAt: NullableTime,
    calledAt: NullableTime,
    onHoldAt: NullableTime,
    noShowAt: NullableTime,
    inProgressAt: NullableTime,
    canceledAt: NullableTime,
    doneAt: NullableTime,
    updatedAt: Time,
  }),
  rating: Type.Union([Type.Object({ rating: Type.Integer(), comment: NullableString }), Type.Null()]),
});
