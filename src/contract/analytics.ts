/**
 * A place's analytics as `GET /admin/places/{placeId}/analytics` answers them (docs/design.md
 * §Analytics): the queue service builds this shape and the admin page reads it.
 */
export interface Figures {
  visits: number;
  served: number;
  noShows: number;
  canceled: number;
  /** Seconds from joining the line to the first call, over the tickets that were called. */
  waitP50Seconds: number | null;
  waitP90Seconds: number | null;
  /** Seconds from in progress to done, over the tickets served. */
  averageServiceSeconds: number | null;
}

export interface PlaceAnalytics {
  placeId: string;
  timeZone: string;
  from: string;
  to: string;
  queueId: string | null;
  endpointId: string | null;
  totals: Figures;
  days: Array<{ day: string } & Figures>;
  hours: Array<{ hour: number } & Figures>;
  queues: Array<{ queueId: string; name: string } & Figures>;
  counters: Array<{ endpointId: string; name: string } & Figures>;
  /** How long the called tickets waited: tickets per band of minutes, the last band open-ended. */
  waits: Array<{ fromMinutes: number; toMinutes: number | null; tickets: number }>;
}
