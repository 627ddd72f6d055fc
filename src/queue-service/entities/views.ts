/**
 * How a company's places, counters and operators are shown, and the response schemas that say so:
 * the admin API answers with them, and so do booking (places) and validation (counters, operators).
 */
import { Type } from 'typebox';
import { toIso, toIsoOrNull } from '../../platform/clock.js';
import { parseJsonText } from '../../platform/json-text.js';
import type { Endpoint, Operator, Place } from '../db/schema.js';
import { Id } from '../http/schemas.js';
import { OperatorRolesSchema, parseRoles } from './operator-roles.js';

const Time = Type.String({ format: 'date-time' });
const NullableTime = Type.Union([Time, Type.Null()]);

const NullableText = Type.Union([Type.String(), Type.Null()]);

/** A place as the admin API shows it; the booking API shows Lineberty's shape (booking/catalog.ts). */
export const PlaceView = Type.Object({
  id: Id,
  companyId: Id,
  name: Type.String(),
  names: Type.Record(Type.String(), Type.String()),
  timeZone: Type.String(),
  lang: Type.String(),
  address: NullableText,
  city: NullableText,
  zip: NullableText,
  country: NullableText,
  position: Type.Union([Type.Object({ lat: Type.Number(), lng: Type.Number() }), Type.Null()]),
  createdAt: Time,
});

export const placeView = (place: Place) => ({
  id: place.id,
  companyId: place.company_id,
  name: place.name,
  names: parseJsonText(place.names),
  timeZone: place.time_zone,
  lang: place.lang,
  address: place.address,
  city: place.city,
  zip: place.zip,
  country: place.country,
  position: place.lat === null || place.lng === null ? null : { lat: place.lat, lng: place.lng },
  createdAt: toIso(place.created_at),
});

export const EndpointView = Type.Object({
  id: Id,
  companyId: Id,
  placeId: Id,
  name: Type.String(),
  names: Type.Record(Type.String(), Type.String()),
  queueIds: Type.Array(Id),
  isOpen: Type.Boolean(),
  openedAt: NullableTime,
  createdAt: Time,
  timeZone: Type.Optional(
    Type.String({ description: "The place's IANA time zone, in the operator's answers: the desk shows every time on the place's clock." }),
  ),
});

export const endpointView = (endpoint: Endpoint, queueIds: string[]) => ({
  id: endpoint.id,
  companyId: endpoint.company_id,
  placeId: endpoint.place_id,
  name: endpoint.name,
  names: parseJsonText(endpoint.names),
  queueIds,
  isOpen: endpoint.is_open === 1,
  openedAt: toIsoOrNull(endpoint.opened_at),
  createdAt: toIso(endpoint.created_at),
});

export const OperatorView = Type.Object({
  id: Id,
  companyId: Id,
  loginId: Type.String(),
  name: Type.String(),
  roles: OperatorRolesSchema,
  createdAt: Time,
});

export const operatorView = (operator: Operator) => ({
  id: operator.id,
  companyId: operator.company_id,
  loginId: operator.login_id,
  name: operator.name,
  roles: parseRoles(operator.roles),
  createdAt: toIso(operator.created_at),
});
