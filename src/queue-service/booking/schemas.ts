import { Type } from 'typebox';
import { keyedSchema as keyedBy } from '../entities/catalog-views.js';
import { Id } from '../http/schemas.js';

export const QueueStateView = Type.Object({
  queueId: Id,
  bookingIsOpened: Type.Boolean({ description: 'Bookings are open now.' }),
  queueIsOpened: Type.Boolean({ description: 'At least one counter serving the queue is open: the queue moves.' }),
  queueIsFull: Type.Boolean({ description: 'As many tickets wait as the queue takes.' }),
  queueIsFullForTheDay: Type.Boolean({ description: 'As many tickets were booked today as the queue takes in a day.' }),
  queueIsFullForFifo: Type.Boolean({ description: 'No walk-in ticket can be booked now (full, or full for the day).' }),
  queueIsFullForAppointment: Type.Boolean({ description: 'No appointment can be booked: the queue has no appointment type.' }),
  bookingPausedUntil: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  waiting: Type.Object({ tickets: Type.Integer(), people: Type.Integer() }),
  openEndpoints: Type.Integer(),
  estimatedWaitMinutes: Type.Integer(),
});

export const UserTokenView = Type.Object({ userId: Id, jwtToken: Type.String() });
export const QueueStatesView = keyedBy(QueueStateView, 'Queue states');

export const QueueIdsInput = Type.Object(
  { queuesId: Type.Array(Id, { minItems: 1, maxItems: 100 }), userId: Type.Optional(Id) },
  { additionalProperties: false },
);
export const EligibilityView = keyedBy(
  Type.Object({
    queueId: Id,
    isEligible: Type.Boolean({ description: 'A booking would be taken now.' }),
    reason: Type.Union([Type.Literal('BOOKING_CLOSED'), Type.Literal('QUEUE_FULL'), Type.Null()], {
      description: 'The error code booking would answer instead.',
    }),
  }),
  'Eligibility per queue',
);
