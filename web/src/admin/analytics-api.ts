/** The analytics routes as the admin page reads them (docs/design.md §Analytics). */
import type { PlaceAnalytics } from '../../../src/contract/analytics.js';
import { download } from '../shared/download.js';
import { admin } from './api.js';

export interface Range {
  from: string;
  to: string;
}

export const placeAnalytics = (token: string, placeId: string, range: Range) =>
  admin<PlaceAnalytics>(token, 'GET', `/admin/places/${placeId}/analytics`, { query: { ...range } });

/** The CSV export needs the admin token in a header, so it is fetched and handed over as a file. */
export const downloadCsv = (token: string, placeId: string, range: Range): Promise<void> =>
  download(`/admin/places/${placeId}/analytics.csv`, `analytics-${range.from}-${range.to}.csv`, { token, query: { ...range } });

/** Today in the place's time zone, and the day `days` before it, both YYYY-MM-DD. */
export function lastDays(timeZone: string, days: number): Range {
  const format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const to = format.format(Date.now());
  const from = new Date(Date.parse(`${to}T00:00:00Z`) - (days - 1) * 86_400_000).toISOString().slice(0, 10);
  return { from, to };
}
