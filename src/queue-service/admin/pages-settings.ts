/**
 * Which booking key, place, queue and push app the public pages use (docs/pages.md): set through
 * the admin API and the admin page, served to browsers at /config.json (pages/pages-config.ts).
 * Each reference is checked when it is set, so a page never opens on a place that does not exist
 * or a key that cannot book there.
 */
import { fail } from '../../contract/errors.js';
import type { PagesConfig } from '../../contract/pages-config.js';
import { hashToken } from '../../platform/secrets.js';
import type { QueueServiceDeps } from '../deps.js';
import { findActiveApiKeyByHash } from '../db/queries/api-keys.js';
import { writePagesSettings } from '../db/queries/pages-settings.js';
import { findPlace } from '../db/queries/places.js';
import { findQueue } from '../db/queries/queues.js';
import { readPagesConfig } from '../pages/pages-config.js';

export function getPagesSettings(deps: QueueServiceDeps): Promise<PagesConfig> {
  return readPagesConfig(deps, true);
}

export async function setPagesSettings(deps: QueueServiceDeps, input: PagesConfig): Promise<PagesConfig> {
  const db = deps.database.db;
  const place = input.placeId ? await findPlace(db, input.placeId) : undefined;
  if (input.placeId && !place) fail('PLACE_NOT_FOUND');
  if (input.queueId) {
    const queue = await findQueue(db, input.queueId);
    if (!queue) fail('QUEUE_NOT_FOUND');
    if (place && queue.place_id !== place.id) fail('VALIDATION_FAILED', 'queueId must be a queue of placeId.');
  }
  if (input.bookingKey) {
    const key = await findActiveApiKeyByHash(db, hashToken(input.bookingKey));
    if (!key?.scopes.split(',').includes('booking'))
      fail('VALIDATION_FAILED', 'bookingKey must be an active API key with the booking scope.');
    if (place && key.company_id !== place.company_id) fail('VALIDATION_FAILED', "bookingKey must belong to the place's company.");
  }
  await writePagesSettings(db, JSON.stringify(input), deps.clock.now());
  return readPagesConfig(deps, true);
}
