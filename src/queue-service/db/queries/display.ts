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
