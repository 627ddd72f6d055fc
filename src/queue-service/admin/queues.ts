import { toIso } from '../../platform/clock.js';
import { newId } from '../../platform/ids.js';
import { parseJsonText, toJsonText } from '../../platform/json-text.js';
import type { QueueServiceDeps } from '../deps.js';
import type { Place, Queue } from '../db/schema.js';
import { deleteQueueForCompany, insertQueue, listQueuesForPlace, updateQueueForCompany } from '../db/queries/queues.js';
import { checkQueueGroups } from './place-groups.js';
import { mergeQueueSettings, parseQueueSettings, type QueueSettingsPatch } from '../entities/queue-settings.js';

export interface QueueInput {
  name: string;
  names?: Record<string, string>;
  subplaceId?: string | null;
  categoryId?: string | null;
  labelPrefix?: string;
  settings?: QueueSettingsPatch;
}

export const queueView = (queue: Queue) => ({
  id: queue.id,
  companyId: queue.company_id,
  placeId: queue.place_id,
  name: queue.name,
  names: parseJsonText(queue.names),
  subplaceId: queue.subplace_id,
  categoryId: queue.category_id,
  labelPrefix: queue.label_prefix,
  settings: parseQueueSettings(queue.settings),
  bookingPausedUntil: queue.booking_paused_until === null ? null : toIso(queue.booking_paused_until),
  createdAt: toIso(queue.created_at),
});

export async function createQueue(deps: QueueServiceDeps, place: Place, input: QueueInput) {
  const settings = mergeQueueSettings(parseQueueSettings('{}'), input.settings ?? {});
  const queue: Queue = {
    id: newId('que', 12),
    company_id: place.company_id,
    place_id: place.id,
    name: input.name,
    label_prefix:
      input.labelPrefix ??
      input.name
        .replace(/[^A-Za-z]/g, '')
        .slice(0, 1)
        .toUpperCase() ??
      'A',
    settings: JSON.stringify(settings),
    booking_paused_until: null,
    created_at: deps.clock.now(),
    names: toJsonText(input.names ?? {}),
    subplace_id: input.subplaceId ?? null,
    category_id: input.categoryId ?? null,
  };
  queue.subplace_id = await checkQueueGroups(deps.database.db, queue, queue.subplace_id, queue.category_id, input.subplaceId !== undefined);
  if (!queue.label_prefix) queue.label_prefix = 'A';
  await insertQueue(deps.database.db, queue);
  return queueView(queue);
}

export async function listQueues(deps: QueueServiceDeps, place: Place) {
  return (await listQueuesForPlace(deps.database.db, place.company_id, place.id)).map(queueView);
}

export async function updateQueue(deps: QueueServiceDeps, queue: Queue, input: Partial<QueueInput>) {
  const changes: Partial<Queue> = {};
  if (input.name !== undefined) changes.name = input.name;
  if (input.names !== undefined) changes.names = toJsonText(input.names);
  if (input.subplaceId !== undefined) changes.subplace_id = input.subplaceId;
  if (input.categoryId !== undefined) changes.category_id = input.categoryId;
  if (input.subplaceId !== undefined || input.categoryId !== undefined) {
    // Leaving a subplace leaves its categories too.
    const subplaceId = changes.subplace_id ?? queue.subplace_id;
    const categoryId =
      input.categoryId !== undefined
        ? input.categoryId
        : input.subplaceId !== undefined && subplaceId !== queue.subplace_id
          ? null
          : queue.category_id;
    changes.category_id = categoryId;
    changes.subplace_id = await checkQueueGroups(deps.database.db, queue, subplaceId, categoryId, input.subplaceId !== undefined);
  }
  if (input.labelPrefix !== undefined) changes.label_prefix = input.labelPrefix;
  if (input.settings !== undefined)
    changes.settings = JSON.stringify(mergeQueueSettings(parseQueueSettings(queue.settings), input.settings));
  if (Object.keys(changes).length > 0) await updateQueueForCompany(deps.database.db, queue.company_id, queue.id, changes);
  return queueView({ ...queue, ...changes });
}

export async function removeQueue(deps: QueueServiceDeps, queue: Queue): Promise<void> {
  await deleteQueueForCompany(deps.database.db, queue.company_id, queue.id);
}
