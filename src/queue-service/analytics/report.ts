/**
 * A place's analytics over a range of its local days (docs/design.md §Analytics): visits, served,
 * no-shows, cancellations, waits (to the first call) and service times, per day, per hour of the
 * day, per queue and per counter. Computed from the tickets themselves, whose counts and times the
 * retention purge keeps, so the figures survive the erasure of personal data.
 */
import type { Figures, PlaceAnalytics } from '../../contract/analytics.js';
import { AppError } from '../../contract/errors.js';
import { TicketState } from '../../contract/ticket-states.js';
import type { QueueServiceDeps } from '../deps.js';
import type { Endpoint, Place, Queue } from '../db/schema.js';
import { toCsv } from './csv.js';
import { visitsOfPlace, type VisitFilter, type VisitRow } from '../db/queries/analytics.js';
import { listQueuesForPlace } from '../db/queries/queues.js';
import { listEndpointsForPlace } from '../db/queries/endpoints.js';
import { addDays, localDay, localHour, parseLocalDate, wallTimeToInstant } from '../appointments/zoned-time.js';

/** A year and a day: a year's report from any day to the same day a year later. */
const MAX_DAYS = 367;

export interface AnalyticsQuery extends VisitFilter {
  from?: string;
  to?: string;
}

const WAIT_BANDS_MINUTES = [0, 5, 10, 15, 20, 30, 45, 60, 90];

interface PlaceVisits {
  from: string;
  to: string;
  visits: VisitRow[];
  queues: Queue[];
  endpoints: Endpoint[];
}

async function placeVisits(deps: QueueServiceDeps, place: Place, query: AnalyticsQuery): Promise<PlaceVisits> {
  const { from, to } = dayRange(deps.clock.now(), place.time_zone, query);
  const db = deps.database.db;
  const start = wallTimeToInstant(from, 0, place.time_zone);
  const end = wallTimeToInstant(addDays(to, 1), 0, place.time_zone);
  const [visits, queues, endpoints] = await Promise.all([
    visitsOfPlace(db, place.id, start, end, query),
    listQueuesForPlace(db, place.company_id, place.id),
    listEndpointsForPlace(db, place.company_id, place.id),
  ]);
  return {
    from,
    to,
    visits,
    queues: queues.filter((queue) => !query.queueId || queue.id === query.queueId),
    endpoints: endpoints.filter((endpoint) => !query.endpointId || endpoint.id === query.endpointId),
  };
}

export async function placeAnalytics(deps: QueueServiceDeps, place: Place, query: AnalyticsQuery): Promise<PlaceAnalytics> {
  const { from, to, visits, queues, endpoints } = await placeVisits(deps, place, query);
  const zone = place.time_zone;
  const localTime = localTimeOf(zone);
  const byDay = groupBy(visits, (visit) => localTime(visit.joinedAt).day);
  const byHour = groupBy(visits, (visit) => String(localTime(visit.joinedAt).hour));
  const byQueue = groupBy(visits, (visit) => visit.queueId);
  const byCounter = groupBy(visits, (visit) => visit.endpointId ?? '');
  return {
    placeId: place.id,
    timeZone: zone,
    from,
    to,
    queueId: query.queueId ?? null,
    endpointId: query.endpointId ?? null,
    totals: figuresOf(visits),
    days: daysOf(from, to).map((day) => ({ day, ...figuresOf(byDay.get(day) ?? []) })),
    hours: Array.from({ length: 24 }, (_, hour) => ({ hour, ...figuresOf(byHour.get(String(hour)) ?? []) })),
    queues: queues.map((queue) => ({ queueId: queue.id, name: queue.name, ...figuresOf(byQueue.get(queue.id) ?? []) })),
    counters: endpoints.map((endpoint) => ({
      endpointId: endpoint.id,
      name: endpoint.name,
      ...figuresOf(byCounter.get(endpoint.id) ?? []),
    })),
    waits: waitBands(visits),
  };
}

const CSV_FIGURES: Array<keyof Figures> = [
  'visits',
  'served',
  'noShows',
  'canceled',
  'waitP50Seconds',
  'waitP90Seconds',
  'averageServiceSeconds',
];

/**
 * The same figures as CSV, one line per day, queue and counter that had a visit (a ticket never
 * called has no counter): what a spreadsheet pivots.
 */
export async function placeAnalyticsCsv(deps: QueueServiceDeps, place: Place, query: AnalyticsQuery): Promise<string> {
  const { visits, queues, endpoints } = await placeVisits(deps, place, query);
  const queueNames = new Map(queues.map((queue) => [queue.id, queue.name]));
  const counterNames = new Map(endpoints.map((endpoint) => [endpoint.id, endpoint.name]));
  // Days in order, then queues and counters in the place's order (the order the admin page lists them).
  const queueOrder = new Map(queues.map((queue, index) => [queue.id, index]));
  const counterOrder = new Map(endpoints.map((endpoint, index) => [endpoint.id, index]));
  const localTime = localTimeOf(place.time_zone);
  const groups = groupBy(visits, (visit) => [localTime(visit.joinedAt).day, visit.queueId, visit.endpointId ?? ''].join('\n'));
  const lines = [...groups.entries()]
    .map(([key, group]) => ({ key: key.split('\n') as [string, string, string], group }))
    .sort(
      ({ key: [dayA, queueA, counterA] }, { key: [dayB, queueB, counterB] }) =>
        dayA.localeCompare(dayB) ||
        (queueOrder.get(queueA) ?? -1) - (queueOrder.get(queueB) ?? -1) ||
        (counterOrder.get(counterA) ?? -1) - (counterOrder.get(counterB) ?? -1),
    )
    .map(({ key: [day, queueId, endpointId], group }) => {
      const figures = figuresOf(group);
      return [
        day,
        queueId,
        queueNames.get(queueId) ?? '',
        endpointId,
        counterNames.get(endpointId) ?? '',
        ...CSV_FIGURES.map((name) => figures[name]),
      ];
    });
  return toCsv([['day', 'queueId', 'queue', 'counterId', 'counter', ...CSV_FIGURES], ...lines]);
}

/** `from` and `to` are the place's local days, both included; today when absent. */
function dayRange(now: number, timeZone: string, query: AnalyticsQuery): { from: string; to: string } {
  const today = localDay(now, timeZone);
  const from = query.from ?? query.to ?? today;
  const to = query.to ?? (query.from ? today : from);
  for (const [field, value] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (!parseLocalDate(value)) throw new AppError('VALIDATION_FAILED', `querystring/${field} must be a calendar day, YYYY-MM-DD.`);
  }
  if (to < from) throw new AppError('VALIDATION_FAILED', 'querystring/to must not be before querystring/from.');
  if (daysBetween(from, to) >= MAX_DAYS) throw new AppError('VALIDATION_FAILED', `A report covers at most ${MAX_DAYS} days.`);
  return { from, to };
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

function daysOf(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) days.push(day);
  return days;
}

/**
 * The local day and hour of instants in one zone, worked out once per quarter of an hour: zones
 * change their offset on quarter-hour boundaries, and a day's tickets fall into a few dozen such
 * quarters, so a report formats a few dozen dates instead of one per ticket.
 */
function localTimeOf(timeZone: string): (instant: number) => { day: string; hour: number } {
  const QUARTER = 15 * 60_000;
  const known = new Map<number, { day: string; hour: number }>();
  return (instant) => {
    const quarter = Math.floor(instant / QUARTER);
    let local = known.get(quarter);
    if (!local) {
      const start = quarter * QUARTER;
      local = { day: localDay(start, timeZone), hour: localHour(start, timeZone) };
      known.set(quarter, local);
    }
    return local;
  };
}

function groupBy(visits: VisitRow[], keyOf: (visit: VisitRow) => string): Map<string, VisitRow[]> {
  const groups = new Map<string, VisitRow[]>();
  for (const visit of visits) {
    const key = keyOf(visit);
    const group = groups.get(key);
    if (group) group.push(visit);
    else groups.set(key, [visit]);
  }
  return groups;
}

function figuresOf(visits: VisitRow[]): Figures {
  const waits: number[] = [];
  let served = 0;
  let noShows = 0;
  let canceled = 0;
  let serviceSum = 0;
  let serviceCount = 0;
  for (const visit of visits) {
    if (visit.firstCalledAt !== null) waits.push(Math.max(0, visit.firstCalledAt - visit.joinedAt));
    if (visit.noShow) noShows++;
    if (visit.state === TicketState.CANCELED) canceled++;
    if (visit.state === TicketState.DONE) {
      served++;
      if (visit.inProgressAt !== null && visit.doneAt !== null) {
        serviceSum += visit.doneAt - visit.inProgressAt;
        serviceCount++;
      }
    }
  }
  waits.sort((a, b) => a - b);
  return {
    visits: visits.length,
    served,
    noShows,
    canceled,
    waitP50Seconds: seconds(nearestRank(waits, 0.5)),
    waitP90Seconds: seconds(nearestRank(waits, 0.9)),
    averageServiceSeconds: seconds(serviceCount === 0 ? null : serviceSum / serviceCount),
  };
}

function waitBands(visits: VisitRow[]): PlaceAnalytics['waits'] {
  const bands = WAIT_BANDS_MINUTES.map((fromMinutes, index) => ({
    fromMinutes,
    toMinutes: WAIT_BANDS_MINUTES[index + 1] ?? null,
    tickets: 0,
  }));
  for (const visit of visits) {
    if (visit.firstCalledAt === null) continue;
    const minutes = Math.max(0, visit.firstCalledAt - visit.joinedAt) / 60_000;
    const band = bands.findLast((candidate) => minutes >= candidate.fromMinutes)!;
    band.tickets++;
  }
  return bands;
}

/** The nearest-rank percentile: a wait some ticket really had, never an interpolation. */
function nearestRank(sorted: number[], fraction: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)]!;
}

const seconds = (ms: number | null) => (ms === null ? null : Math.round(ms / 1000));
