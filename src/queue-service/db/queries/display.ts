import type { QueueDb } from '../types.js';

/** Tickets being called right now at a place (state 200), newest call first: what boards show per counter. */
export function calledTicketsOfPlace(db: QueueDb, placeId: string) {
  return db
    .selectFrom('tickets')
    .select(['id', 'label', 'queue_id', 'endpoint_id', 'called_at', 'recall_count', 'priority'])
    .where('place_id', '=', placeId)
    .where('state', '=', 200)
    .orderBy('called_at', 'desc')
    .limit(500)
    .execute();
}

/**
 * The tickets a board of the place shows when it connects: waiting (0, 50, 100), called, on hold
 * or in progress, except appointments of a later day (`before`: the end of the place's day).
 */
export function activeTicketsOfPlace(db: QueueDb, placeId: string, before: number, limit: number) {
  return db
    .selectFrom('tickets')
    .selectAll()
    .where('place_id', '=', placeId)
    .where('state', 'in', [0, 50, 100, 200, 300, 500])
    .where((eb) => eb.or([eb('booked_for', 'is', null), eb('booked_for', '<', before)]))
    .orderBy('booked_at')
    .orderBy('id')
    .limit(limit)
    .execute();
}
