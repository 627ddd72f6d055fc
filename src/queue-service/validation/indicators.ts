/**
 * Operator indicators: per queue the counter serves and for the counter itself —
 * waiting tickets and people now; over tickets booked in the period (the place's current day by
 * default): booked, served, no-shows, canceled, average wait (to the first call) and service time
 * (in progress → done), and ratings.
 */
import { AppError } from '../../contract/errors.js';
import { toIso } from '../../platform/clock.js';
import type { QueueServiceDeps } from '../deps.js';
import { findPlace } from '../db/queries/places.js';
import { listQueuesForPlace } from '../db/queries/queues.js';
import { waitingCountsOfQueue } from '../db/queries/queue-counters.js';
import { ticketTotals, waitTotals, type TicketTotals, type WaitTotals } from '../db/queries/indicators.js';
import type { CounterCaller } from '../http/auth.js';
import { endOfLocalDay, localDay, wallTimeToInstant } from '../appointments/zoned-time.js';
import { openSession } from './counter.js';
import { queuesAllowing } from '../entities/operator-roles.js';

const MINUTE = 60_000;
const MAX_PERIOD_MS = 93 * 86_400_000;

export interface Period {
  from?: number;
  to?: number;
}

type Totals = Omit<TicketTotals, 'queueId' | 'endpointId'>;
const ZERO: Totals = { booked: 0, served: 0, noShows: 0, canceled: 0, serviceMsSum: 0, serviceCount: 0, ratingSum: 0, ratingCount: 0 };

function add(a: Totals, b: Totals): Totals {
  return Object.fromEntries(Object.keys(ZERO).map((key) => [key, a[key as keyof Totals] + b[key as keyof Totals]])) as unknown as Totals;
}

const average = (sum: number, count: number, unit = 1) => (count === 0 ? null : Math.round((sum / count / unit) * 10) / 10);

function summary(totals: Totals) {
  return {
    booked: totals.booked,
    served: totals.served,
    noShows: totals.noShows,
    canceled: totals.canceled,
    averageServiceMinutes: average(totals.serviceMsSum, totals.serviceCount, MINUTE),
    averageRating: average(totals.ratingSum, totals.ratingCount),
    ratings: totals.ratingCount,
  };
}

export async function counterIndicators(deps: QueueServiceDeps, caller: CounterCaller, endpointId: string, period: Period) {
  const db = deps.database.db;
  const session = await openSession(db, caller, endpointId);
  // Only the queues whose role shows indicators are counted, the counter's totals included.
  const shown = queuesAllowing(
    session.roles,
    session.queueIds,
    (role) => role.showIndicators,
    "This operator may not see the counter's indicators.",
  );
  const place = await findPlace(db, session.endpoint.place_id);
  const now = deps.clock.now();
  const timeZone = place?.time_zone ?? 'UTC';
  const from = period.from ?? wallTimeToInstant(localDay(now, timeZone), 0, timeZone);
  const to = period.to ?? endOfLocalDay(now, timeZone);
  if (to <= from || to - from > MAX_PERIOD_MS)
    throw new AppError('VALIDATION_FAILED', 'The period must end after it starts and last at most 93 days.');

  const placeQueues = await listQueuesForPlace(db, caller.companyId, session.endpoint.place_id);
  // The place's order (creation, then name), so a desk shows its queues the same way every time.
  const queueIds = placeQueues
    .sort((a, b) => a.created_at - b.created_at || a.name.localeCompare(b.name))
    .map((queue) => queue.id)
    .filter((id) => shown.includes(id));
  const [totals, waits] = await Promise.all([
    ticketTotals(db, queueIds, from, to),
    waitTotals(db, session.endpoint.place_id, queueIds, from, to),
  ]);
  const queues = await Promise.all(
    queueIds.map(async (queueId) => {
      const mine = totals.filter((row) => row.queueId === queueId).reduce<Totals>((sum, row) => add(sum, row), ZERO);
      return {
        queueId,
        name: placeQueues.find((queue) => queue.id === queueId)?.name ?? '',
        waiting: await waitingCountsOfQueue(db, queueId),
        ...summary(mine),
        averageWaitMinutes: averageWait(waits.filter((row) => row.queueId === queueId)),
      };
    }),
  );
  const atCounter = totals.filter((row) => row.endpointId === endpointId).reduce<Totals>((sum, row) => add(sum, row), ZERO);
  return {
    from: toIso(from),
    to: toIso(to),
    endpoint: {
      endpointId,
      waiting: sumWaiting(queues.map((queue) => queue.waiting)),
      ...summary(atCounter),
      averageWaitMinutes: averageWait(waits.filter((row) => row.endpointId === endpointId)),
    },
    queues,
  };
}

function averageWait(rows: WaitTotals[]): number | null {
  return average(
    rows.reduce((sum, row) => sum + row.waitMsSum, 0),
    rows.reduce((sum, row) => sum + row.waitCount, 0),
    MINUTE,
  );
}

function sumWaiting(counts: Array<{ tickets: number; people: number }>) {
  return counts.reduce((sum, count) => ({ tickets: sum.tickets + count.tickets, people: sum.people + count.people }), {
    tickets: 0,
    people: 0,
  });
}
