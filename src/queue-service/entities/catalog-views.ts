/**
 * Places and queues as Lineberty's booking API shows them (docs/lineberty.md §Place, §Queue):
 * ids named after their object, names as locale maps, lists keyed by id.
 */
import { Type, type TSchema } from 'typebox';
import { namesInEveryLocale } from '../../contract/locale.js';
import { parseJsonText } from '../../platform/json-text.js';
import type { AppointmentType, Category, Place, Queue, Subplace } from '../db/schema.js';
import { Id } from '../http/schemas.js';
import { parseQueueSettings } from './queue-settings.js';

const localized = (row: { name: string; names: Parameters<typeof parseJsonText<Record<string, string>>>[0] }) =>
  namesInEveryLocale(row.name, parseJsonText(row.names));

export interface PlaceGroups {
  subplaces: Subplace[];
  categories: Category[];
}

const categoryView = (category: Category) => ({
  categoryId: category.id,
  placeId: category.place_id,
  subplaceId: category.subplace_id,
  name: localized(category),
});

/** The categories of a place itself (`subplaceId` null) or of one of its subplaces, keyed by id. */
function categoriesView(categories: Category[], placeId: string, subplaceId: string | null) {
  return keyedBy(
    categories.filter((category) => category.place_id === placeId && category.subplace_id === subplaceId),
    (category) => category.id,
    categoryView,
  );
}

export function placeView(place: Place, groups: PlaceGroups, distance?: number | null) {
  return {
    placeId: place.id,
    companyId: place.company_id,
    name: localized(place),
    address: place.address,
    city: place.city,
    zip: place.zip,
    country: place.country,
    language: place.lang,
    timezone: place.time_zone,
    position: place.lat === null || place.lng === null ? null : { lat: place.lat, lng: place.lng },
    ...(distance === undefined ? {} : { distance }),
    subplaces: keyedBy(
      groups.subplaces.filter((group) => group.place_id === place.id),
      (group) => group.id,
      (group) => ({
        subplaceId: group.id,
        placeId: group.place_id,
        name: localized(group),
        categories: categoriesView(groups.categories, place.id, group.id),
      }),
    ),
    categories: categoriesView(groups.categories, place.id, null),
  };
}

/** Metres between two points on the Earth (haversine), rounded: what `distance` says. */
export function distanceInMetres(from: { lat: number; lng: number }, to: { lat: number; lng: number }): number {
  const rad = Math.PI / 180;
  const dLat = (to.lat - from.lat) * rad;
  const dLng = (to.lng - from.lng) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(from.lat * rad) * Math.cos(to.lat * rad) * Math.sin(dLng / 2) ** 2;
  return Math.round(2 * 6_371_000 * Math.asin(Math.min(1, Math.sqrt(a))));
}

const appointmentTypeView = (type: AppointmentType) => ({
  appointmentTypeId: type.id,
  queueId: type.queue_id,
  name: localized(type),
  duration: type.duration_minutes,
  capacity: type.capacity,
  isWalkIn: false,
});

/**
 * Lineberty's apps pick an appointment type before every booking, so a queue without any shows
 * one: joining the line now, named like the queue, whose id is the queue's (docs/lineberty.md
 * §Appointment types).
 */
const walkInTypeView = (queue: Queue) => ({
  appointmentTypeId: queue.id,
  queueId: queue.id,
  name: localized(queue),
  duration: parseQueueSettings(queue.settings).defaultServiceMinutes,
  capacity: null,
  isWalkIn: true,
});

export function appointmentTypesView(queue: Queue, types: AppointmentType[]) {
  const own = types.filter((type) => type.queue_id === queue.id);
  if (own.length === 0) return { [queue.id]: walkInTypeView(queue) };
  return keyedBy(own, (type) => type.id, appointmentTypeView);
}

export function queueView(queue: Queue, types: AppointmentType[]) {
  const settings = parseQueueSettings(queue.settings);
  const takesAppointments = types.some((type) => type.queue_id === queue.id);
  return {
    queueId: queue.id,
    placeId: queue.place_id,
    subplaceId: queue.subplace_id,
    categoryId: queue.category_id,
    name: localized(queue),
    appointmentTypes: appointmentTypesView(queue, types),
    config: {
      groupSizeLimit: { min: settings.minGroupSize, max: settings.maxGroupSize },
      hiddenModeAllowed: settings.hiddenModeAllowed,
      phoneRequired: settings.phoneRequired,
      confirmRequired: settings.confirmRequired,
    },
    mailRequired: settings.mailRequired,
    availabilitiesType: takesAppointments ? ('FIFO_AND_APPOINTMENT' as const) : ('FIFO' as const),
  };
}

export function keyedBy<T, V>(items: T[], keyOf: (item: T) => string, view: (item: T) => V): Record<string, V> {
  const keyed: Record<string, V> = {};
  for (const item of items) keyed[keyOf(item)] = view(item);
  return keyed;
}

/** A list keyed by id, as Lineberty's lists are. */
export const keyedSchema = <T extends TSchema>(item: T, what: string) =>
  Type.Record(Type.String(), item, { description: `${what}, keyed by id.` });

const Names = Type.Record(Type.String(), Type.String(), {
  description: 'Names per locale, every built-in locale (en_US, fr_FR) included, e.g. {"en_US": "Accounts", "fr_FR": "Comptes"}.',
});
const NullableText = Type.Union([Type.String(), Type.Null()]);

const CategoryView = Type.Object({
  categoryId: Id,
  placeId: Id,
  subplaceId: Type.Union([Id, Type.Null()], { description: 'The subplace it belongs to; null: the place itself.' }),
  name: Names,
});
export const CategoriesView = keyedSchema(CategoryView, 'Categories of queues');
const SubplacesView = keyedSchema(
  Type.Object({ subplaceId: Id, placeId: Id, name: Names, categories: CategoriesView }),
  'Subplaces (a place has subplaces or categories of its own, never both; a subplace may have categories)',
);

export const PlaceView = Type.Object({
  placeId: Id,
  companyId: Id,
  name: Names,
  address: NullableText,
  city: NullableText,
  zip: NullableText,
  country: NullableText,
  language: Type.String({ description: 'The default locale of the place, e.g. fr_FR.' }),
  timezone: Type.String({ description: 'IANA time zone, e.g. Europe/Paris.' }),
  position: Type.Union([Type.Object({ lat: Type.Number(), lng: Type.Number() }), Type.Null()]),
  distance: Type.Optional(
    Type.Union([Type.Integer(), Type.Null()], {
      description: 'Metres from the lat/lng of the request; only when the request gives them; null for a place without a position.',
    }),
  ),
  subplaces: SubplacesView,
  categories: CategoriesView,
});
export const PlacesView = keyedSchema(PlaceView, 'Places');

const AppointmentTypeView = Type.Object({
  appointmentTypeId: Id,
  queueId: Id,
  name: Names,
  duration: Type.Number({ description: 'Minutes.' }),
  capacity: Type.Union([Type.Integer(), Type.Null()], { description: 'People one slot takes; null for the walk-in type.' }),
  isWalkIn: Type.Boolean({
    description: "The queue's own type when it has no appointment type: joining the line now. Its id is the queue's.",
  }),
});
export const AppointmentTypesView = keyedSchema(AppointmentTypeView, 'Appointment types');

export const QueueView = Type.Object({
  queueId: Id,
  placeId: Id,
  subplaceId: Type.Union([Id, Type.Null()]),
  categoryId: Type.Union([Id, Type.Null()]),
  name: Names,
  appointmentTypes: AppointmentTypesView,
  config: Type.Object({
    groupSizeLimit: Type.Object({ min: Type.Integer(), max: Type.Integer() }),
    hiddenModeAllowed: Type.Boolean({ description: 'Operators whose role allows it may act at a closed counter.' }),
    phoneRequired: Type.Boolean(),
    confirmRequired: Type.Boolean({ description: 'Tickets near their turn wait in state 50 for the person to confirm.' }),
  }),
  mailRequired: Type.Boolean({ description: 'Booking needs userData.mail.' }),
  availabilitiesType: Type.Union([Type.Literal('FIFO'), Type.Literal('FIFO_AND_APPOINTMENT')], {
    description: 'FIFO: walk-ins only; FIFO_AND_APPOINTMENT: walk-ins and appointment slots.',
  }),
});
export const QueuesView = keyedSchema(QueueView, 'Queues');
