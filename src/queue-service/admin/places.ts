import { AppError, fail } from '../../contract/errors.js';
import { newId } from '../../platform/ids.js';
import { toJsonText } from '../../platform/json-text.js';
import type { QueueServiceDeps } from '../deps.js';
import type { Place } from '../db/schema.js';
import { findCompany } from '../db/queries/companies.js';
import { deletePlaceForCompany, insertPlace, listPlacesForCompany, updatePlaceForCompany } from '../db/queries/places.js';
import { placeView } from '../entities/views.js';
import { isValidTimeZone } from '../tickets/labels.js';

export interface PlaceInput {
  name: string;
  names?: Record<string, string>;
  timeZone: string;
  lang?: string;
  address?: string | null;
  city?: string | null;
  zip?: string | null;
  country?: string | null;
  position?: { lat: number; lng: number } | null;
}

function checkTimeZone(timeZone: string | undefined): void {
  if (timeZone !== undefined && !isValidTimeZone(timeZone))
    throw new AppError('VALIDATION_FAILED', `Unknown IANA time zone "${timeZone}".`);
}

export async function createPlace(deps: QueueServiceDeps, companyId: string, input: PlaceInput) {
  checkTimeZone(input.timeZone);
  if (!(await findCompany(deps.database.db, companyId))) fail('COMPANY_NOT_FOUND');
  const place: Place = {
    id: newId('plc', 12),
    company_id: companyId,
    name: input.name,
    time_zone: input.timeZone,
    lang: input.lang ?? 'en_US',
    address: input.address ?? null,
    created_at: deps.clock.now(),
    names: toJsonText(input.names ?? {}),
    city: input.city ?? null,
    zip: input.zip ?? null,
    country: input.country ?? null,
    lat: input.position?.lat ?? null,
    lng: input.position?.lng ?? null,
  };
  await insertPlace(deps.database.db, place);
  return placeView(place);
}

export async function listPlaces(deps: QueueServiceDeps, companyId: string) {
  return (await listPlacesForCompany(deps.database.db, companyId)).map(placeView);
}

export async function updatePlace(deps: QueueServiceDeps, place: Place, input: Partial<PlaceInput>) {
  checkTimeZone(input.timeZone);
  const given = {
    name: input.name,
    names: input.names === undefined ? undefined : toJsonText(input.names),
    time_zone: input.timeZone,
    lang: input.lang,
    address: input.address,
    city: input.city,
    zip: input.zip,
    country: input.country,
    lat: input.position === undefined ? undefined : (input.position?.lat ?? null),
    lng: input.position === undefined ? undefined : (input.position?.lng ?? null),
  };
  const changes = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) as Partial<Place>;
  // An empty PATCH changes nothing (an UPDATE without columns is not SQL).
  if (Object.keys(changes).length > 0) await updatePlaceForCompany(deps.database.db, place.company_id, place.id, changes);
  return placeView({ ...place, ...changes } as Place);
}

export async function removePlace(deps: QueueServiceDeps, place: Place): Promise<void> {
  await deletePlaceForCompany(deps.database.db, place.company_id, place.id);
}
