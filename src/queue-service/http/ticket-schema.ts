/** The ticket as every route returns it (src/contract/message.ts TicketView), for validation and OpenAPI. */
import { Type } from 'typebox';

const Time = Type.String({ format: 'date-time' });
const NullableTime = Type.Union([Time, Type.Null()]);
const NullableString = Type.Union([Type.String(), Type.Null()]);
const Count = Type.Object({ tickets: Type.Integer(), people: Type.Integer() });

export const TicketViewSchema = Type.Object({
  ticketId: Type.String(),
  label: Type.String({ description: 'Short and human, unique per queue per day, e.g. A012.' }),
  state: Type.Integer({
    description: '0 booked, 50 to confirm, 100 alerted, 200 called, 300 on hold, 400 no show, 500 in progress, 600 canceled, 700 done.',
  }),
  companyId: Type.String(),
  place: Type.Object({ placeId: Type.String(), name: Type.String({ description: "In the ticket's language." }) }),
  queue: Type.Object({ queueId: Type.String(), name: Type.String({ description: "In the ticket's language." }) }),
  appointmentType: Type.Object(
    { appointmentTypeId: Type.String(), name: Type.String({ description: "In the ticket's language." }) },
    { description: "The type booked; a ticket booked without one has the queue's walk-in type, whose id is the queue's." },
  ),
  language: Type.String({ description: 'The locale of the ticket: its names and messages use it.' }),
  groupSize: Type.Integer(),
  source: NullableString,
  isAnAppointment: Type.Boolean(),
  bookedFor: NullableTime,
  userData: Type.Object({ name: NullableString, phone: NullableString, mail: NullableString }),
  notifications: Type.Object({
    pushId: NullableString,
    sendClientPush: Type.Boolean(),
    sendClientSms: Type.Boolean(),
    sendClientMail: Type.Boolean(),
    smsFallback: Type.Boolean(),
    emailFallback: Type.Boolean(),
  }),
  endpoint: Type.Union([
    Type.Object(
      { endpointId: Type.String(), name: Type.String(), names: Type.Record(Type.String(), Type.String()) },
      { description: "The counter the ticket is called to: its name in the ticket's language, and in every locale." },
    ),
    Type.Null(),
  ]),
  recallCount: Type.Integer(),
  ticketPosition: Type.Union([Type.Object({ queue: Count, endpoint: Count }), Type.Null()], {
    description: 'Tickets and people ahead, in the queue and in the line of its counters; null once the ticket no longer waits.',
  }),
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
  priority: Type.Optional(Type.Literal(true, { description: 'Present on a priority ticket: called before the rest of its line.' })),
  checkedInAt: Type.Optional(Type.String({ format: 'date-time', description: 'When the person said "I\'m here".' })),
  runningLate: Type.Optional(
    Type.Object(
      { minutes: Type.Integer(), at: Time },
      { description: 'The person said they are running late, by this many minutes, at this time.' },
    ),
  ),
});

/** The ticket as counter staff see it: the ticket view and the note, which no other view carries (docs/design.md §Moving tickets). */
export const StaffTicketViewSchema = Type.Object({
  ...TicketViewSchema.properties,
  note: Type.Union([Type.String(), Type.Null()], { description: 'Staff only: never shown to the person, in a message or on the display.' }),
  keptForEndpointId: Type.Union([Type.String(), Type.Null()], { description: 'A transferred waiting ticket only this counter calls.' }),
});
