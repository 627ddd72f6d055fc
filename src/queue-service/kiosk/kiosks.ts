/**
 * Kiosks (docs/design.md §Kiosks): a tablet at a place's entrance gives walk-ins a ticket. Each
 * kiosk has its own key, bound to one place: stolen, it can only book in that place's queues, and
 * it is revoked alone. Staff add a visitor from the desk the same way. Every walk-in gets a user of
 * its own, so the ticket can be followed on a phone by scanning the kiosk's QR code.
 */
import { AppError } from '../../contract/errors.js';
import type { TicketView } from '../../contract/message.js';
import { newId } from '../../platform/ids.js';
import { parseJsonText } from '../../platform/json-text.js';
import { hashToken, newToken } from '../../platform/secrets.js';
import { toIso } from '../../platform/clock.js';
import type { QueueServiceDeps } from '../deps.js';
import type { Kiosk, Place } from '../db/schema.js';
import { findActiveKioskByHash, insertKiosk } from '../db/queries/kiosks.js';
import { findQueueForCompany, listQueuesForPlace } from '../db/queries/queues.js';
import { findPlace } from '../db/queries/places.js';
import { queueIdsOfEndpoint } from '../db/queries/endpoints.js';
import type { Auth } from '../http/auth.js';
import { bookTicket, type BookingInput } from '../booking/book.js';
import { queueStateOf } from '../booking/queue-state.js';
import { createUser } from '../integrator/users.js';

const KIOSK_KEY_PREFIX = 'qbk_';

export interface KioskCaller {
  kioskId: string;
  companyId: string;
  placeId: string;
}

export function kioskView(kiosk: Kiosk) {
  return {
    kioskId: kiosk.id,
    placeId: kiosk.place_id,
    name: kiosk.name,
    keyPrefix: kiosk.key_prefix,
    createdAt: toIso(kiosk.created_at),
    revokedAt: kiosk.revoked_at === null ? null : toIso(kiosk.revoked_at),
  };
}

/** A new kiosk for a place; its key is answered once and only its hash is kept. */
export async function createKiosk(deps: QueueServiceDeps, place: Place, name: string) {
  const key = newToken(KIOSK_KEY_PREFIX);
  const kiosk: Kiosk = {
    id: newId('ksk', 12),
    company_id: place.company_id,
    place_id: place.id,
    name,
    key_hash: hashToken(key),
    key_prefix: key.slice(0, 12),
    created_at: deps.clock.now(),
    revoked_at: null,
  };
  await insertKiosk(deps.database.db, kiosk);
  return { kiosk: kioskView(kiosk), key };
}

export async function kioskOfKey(deps: QueueServiceDeps, key: string | undefined): Promise<KioskCaller> {
  if (!key) throw new AppError('UNAUTHENTICATED', 'A kiosk key is required (x-kiosk-key).');
  const kiosk = await findActiveKioskByHash(deps.database.db, hashToken(key));
  if (!kiosk) throw new AppError('UNAUTHENTICATED', 'The kiosk key is not valid.');
  return { kioskId: kiosk.id, companyId: kiosk.company_id, placeId: kiosk.place_id };
}

/** What the kiosk's screen shows: its place and the queues one can join there, with their state. */
export async function kioskHome(deps: QueueServiceDeps, caller: KioskCaller) {
  const db = deps.database.db;
  const place = await findPlace(db, caller.placeId);
  if (!place) throw new AppError('PLACE_NOT_FOUND');
  const now = deps.clock.now();
  const queues = await listQueuesForPlace(db, caller.companyId, caller.placeId);
  return {
    kioskId: caller.kioskId,
    place: { placeId: place.id, name: place.name, names: parseJsonText(place.names), timeZone: place.time_zone, lang: place.lang },
    queues: await Promise.all(
      queues.map(async (queue) => ({
        queueId: queue.id,
        name: queue.name,
        names: parseJsonText(queue.names),
        state: await queueStateOf(db, queue, place.time_zone, now),
      })),
    ),
  };
}

export type WalkInInput = Pick<BookingInput, 'groupSize' | 'userData' | 'sendClientSms' | 'lang'> & { queueId: string };

export interface WalkIn {
  ticket: TicketView;
  /** The walk-in's own user token: the QR code's link hands it to their phone. */
  userToken: string;
  /** Where the phone follows the ticket; the token travels in the fragment, which no server sees. */
  followPath: string;
}

/** A kiosk books in its own place only. */
export async function bookAtKiosk(deps: QueueServiceDeps, auth: Auth, caller: KioskCaller, input: WalkInInput): Promise<WalkIn> {
  const queue = await findQueueForCompany(deps.database.db, caller.companyId, input.queueId);
  if (!queue || queue.place_id !== caller.placeId) throw new AppError('QUEUE_NOT_FOUND');
  return bookWalkIn(deps, auth, caller.companyId, input, 'kiosk');
}

/** Staff add a visitor at a counter, to one of the queues it serves. */
export async function bookAtCounter(
  deps: QueueServiceDeps,
  auth: Auth,
  companyId: string,
  endpointId: string,
  { priority, ...input }: WalkInInput & { priority?: boolean },
): Promise<WalkIn> {
  const served = await queueIdsOfEndpoint(deps.database.db, endpointId);
  if (!served.includes(input.queueId)) throw new AppError('QUEUE_NOT_FOUND', 'This counter does not serve that queue.');
  return bookWalkIn(deps, auth, companyId, input, 'desk', priority === true);
}

async function bookWalkIn(
  deps: QueueServiceDeps,
  auth: Auth,
  companyId: string,
  input: WalkInInput,
  source: string,
  priority = false,
): Promise<WalkIn> {
  const user = await createUser(deps, auth, companyId);
  const { queueId, ...booking } = input;
  const ticket = await bookTicket(deps, { companyId, userId: user.userId }, queueId, { ...booking, source }, undefined, { priority });
  return {
    ticket,
    userToken: user.jwtToken,
    followPath: `/?follow=${encodeURIComponent(ticket.ticketId)}#token=${encodeURIComponent(user.jwtToken)}`,
  };
}
