/**
 * An operator pauses booking of a queue their counter serves for the rest of the place's day
 *: people already waiting stay; nobody new joins until the next local
 * day, or until the pause is lifted.
 */
import { AppError } from '../../contract/errors.js';
import type { QueueServiceDeps } from '../deps.js';
import { findQueueWithPlaceForCompany, updateQueueForCompany } from '../db/queries/queues.js';
import type { CounterCaller } from '../http/auth.js';
import { endOfLocalDay } from '../appointments/zoned-time.js';
import { queueStateOf } from '../booking/queue-state.js';
import { announceQueueChange } from '../streams/announce.js';
import { openSession } from './counter.js';
import { assertMayCloseBookingForToday, rolesInQueue } from '../entities/operator-roles.js';

export async function setBookingPaused(
  deps: QueueServiceDeps,
  caller: CounterCaller,
  endpointId: string,
  queueId: string,
  paused: boolean,
) {
  const db = deps.database.db;
  const session = await openSession(db, caller, endpointId);
  if (!session.queueIds.includes(queueId)) throw new AppError('ENDPOINT_NOT_SERVING_QUEUE');
  assertMayCloseBookingForToday(rolesInQueue(session.roles, queueId));
  const queue = await findQueueWithPlaceForCompany(db, caller.companyId, queueId);
  if (!queue) throw new AppError('QUEUE_NOT_FOUND');
  const now = deps.clock.now();
  const until = paused ? endOfLocalDay(now, queue.place_time_zone) : null;
  await updateQueueForCompany(db, caller.companyId, queueId, { booking_paused_until: until });
  await announceQueueChange(deps, [queueId]);
  return queueStateOf(db, { ...queue, booking_paused_until: until }, queue.place_time_zone, now);
}
