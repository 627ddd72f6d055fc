import { Type } from 'typebox';
import { Id } from '../http/schemas.js';

export const PublicQueueView = Type.Object({
  id: Id,
  placeId: Id,
  name: Type.String(),
  labelPrefix: Type.String(),
  minGroupSize: Type.Integer(),
  maxGroupSize: Type.Integer(),
  mailRequired: Type.Boolean(),
  phoneRequired: Type.Boolean(),
  confirmRequired: Type.Boolean(),
});

export const QueueStateView = Type.Object({
  queueId: Id,
  bookingOpen: Type.Boolean(),
  bookingPausedUntil: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  queueOpen: Type.Boolean({ description: 'At least one counter serving the queue is open.' }),
  full: Type.Boolean(),
  fullForDay: Type.Boolean(),
  waiting: Type.Object({ tickets: Type.Integer(), people: Type.Integer() }),
  openEndpoints: Type.Integer(),
  estimatedWaitMinutes: Type.Integer(),
});

export const UserTokenView = Type.Object({ userId: Id, jwtToken: Type.String() });
