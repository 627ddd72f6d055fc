import { Type } from 'typebox';
import { Id, Name } from '../http/schemas.js';
import { OpeningHoursSchema } from './opening-hours.js';

const Names = Type.Record(Type.String({ pattern: '^[a-z]{2}(_[A-Z]{2})?$' }), Type.String({ minLength: 1, maxLength: 100 }), {
  maxProperties: 20,
  description: 'Names per locale, e.g. {"fr_FR": "Consultation"}.',
});
const LocalDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'A local date of the place, YYYY-MM-DD.' });

export const AppointmentTypeInput = Type.Object(
  {
    name: Name,
    names: Type.Optional(Names),
    durationMinutes: Type.Integer({ minimum: 5, maximum: 480 }),
    capacity: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 1000, description: 'People one slot takes (a group of 3 uses 3 places). Default 1.' }),
    ),
  },
  { additionalProperties: false },
);
export const AppointmentTypePatch = Type.Partial(AppointmentTypeInput, { additionalProperties: false });

export const AppointmentTypeView = Type.Object({
  id: Id,
  queueId: Id,
  name: Type.String(),
  names: Type.Record(Type.String(), Type.String()),
  durationMinutes: Type.Integer(),
  capacity: Type.Integer(),
});

export const OpeningHoursView = Type.Object({
  queueId: Id,
  timeZone: Type.String(),
  openingHours: Type.Union([OpeningHoursSchema, Type.Null()]),
});

const SlotFilters = {
  groupSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  appointmentTypeId: Type.Optional(Id),
};
export const AvailabilityFilters = { date: Type.Optional(LocalDate), ...SlotFilters };
export const DaysFilters = { start: LocalDate, end: LocalDate, ...SlotFilters };

export const AvailabilitiesView = Type.Object({
  queueId: Id,
  date: Type.String(),
  timeZone: Type.String(),
  appointmentTypeId: Id,
  groupSize: Type.Integer(),
  availabilityType: Type.Union([Type.Literal('FIFO'), Type.Literal('APPOINTMENT')], {
    description: "FIFO: the walk-in type, one slot starting now while booking is open; APPOINTMENT: an appointment type's free slots.",
  }),
  slots: Type.Array(
    Type.Object({
      start: Type.String({ format: 'date-time', description: 'Send it as bookedFor.' }),
      end: Type.String({ format: 'date-time' }),
      remaining: Type.Union([Type.Integer(), Type.Null()], { description: 'Places left; null for FIFO.' }),
    }),
  ),
});

export const DaysView = Type.Object({
  queueId: Id,
  timeZone: Type.String(),
  appointmentTypeId: Type.Union([Id, Type.Null()]),
  groupSize: Type.Integer(),
  days: Type.Array(Type.String()),
});
