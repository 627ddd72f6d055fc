/** The analytics routes as the admin page reads them (docs/design.md §Analytics). */
import { admin } from './api.js';

export interface Figures {
  visits: number;
  served: number;
  noShows: number;
  canceled: number;
  waitP50Seconds: number | null;
  waitP90Seconds: number | null;
  averageServiceSeconds: number | null;
}
export interface PlaceAnalytics {
  placeId: string;
  timeZone: string;
  from: string;
  to: string;
  totals: Figures;
  days: Array<{ day: string } & Figures>;
  hours: Array<{ hour: number } & Figures>;
  queues: Array<{ queueId: string; name: string } & Figures>;
  counters: Array<{ endpointId: string; name: string } & Figures>;
  waits: Array<{ fromMinutes: number; toMinutes: number | null; tickets: number }>;
}

export interface Range {
  from: string;
  to: string;
}

export const placeAnalytics = (token: string, placeId: string, range: Range) =>
  admin<PlaceAnalytics>(token, 'GET', `/admin/places/${placeId}/analytics`, { query: { ...range } });

/** The CSV export needs the admin token in a header, so it is fetched and handed over as a file. */
export async function downloadCsv(token: string, placeId: string, range: Range): Promise<void> {
  const query = new URLSearchParams({ ...range });
  const response = await fetch(`/admin/places/${placeId}/analytics.csv?${query}`, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`CSV export: ${response.status}`);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = `analytics-${range.from}-${range.to}.csv`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Today in the place's time zone, and the day `days` before it, both YYYY-MM-DD. */
export function lastDays(timeZone: string, days: number): Range {
  const format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const to = format.format(Date.now());
  const from = new Date(Date.parse(`${to}T00:00:00Z`) - (days - 1) * 86_400_000).toISOString().slice(0, 10);
  return { from, to };
}
