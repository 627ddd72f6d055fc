/**
 * The rows behind a place's analytics (docs/design.md §Analytics): one per ticket that joined the
 * line in [from, to), with what happened to it. Two index ranges, read separately and never
 * twice: walk-ins by their booking time, appointments by their appointment time.
 */
import { sql } from 'kysely';
import type { QueueDb } from '../types.js';

export interface VisitRow {
  queueId: string;
  endpointId: string | null;
  /** When the ticket joined the line: the booking, or the appointment's time. */
  joinedAt: number;
  state: number;
  /** The first call: a recall must not make the wait look longer. */
  firstCalledAt: number | null;
  inProgressAt: number | null;
  doneAt: number | null;
  noShow: boolean;
}

export interface VisitFilter {
  queueId?: string;
  endpointId?: string;
}

export async function visitsOfPlace(db: QueueDb, placeId: string, from: number, to: number, filter: VisitFilter): Promise<VisitRow[]> {
  const range = (appointments: boolean) => {
    const joinedColumn = appointments ? 't.booked_for' : 't.booked_at';
    let query = db
      .selectFrom('tickets as t')
      .select([
        't.queue_id',
        't.endpoint_id',
        sql<number>`${sql.ref(joinedColumn)}`.as('joined_at'),
        't.state',
        // Only a recalled ticket needs its history for the first call; called_at is it otherwise.
        sql<number | null>`case when t.recall_count = 0 then t.called_at else (
          select min(e.at) from ticket_events e where e.ticket_id = t.id and e.to_state = 200) end`.as('first_called_at'),
        't.in_progress_at',
        't.done_at',
        't.no_show_at',
      ])
      .where('t.place_id', '=', placeId)
      // A literal, not a parameter: only then can SQLite use the partial index of appointments.
      .where(sql<boolean>`t.is_appointment = ${sql.lit(appointments ? 1 : 0)}`)
      .where(joinedColumn, '>=', from)
      .where(joinedColumn, '<', to);
    if (filter.queueId) query = query.where('t.queue_id', '=', filter.queueId);
    if (filter.endpointId) query = query.where('t.endpoint_id', '=', filter.endpointId);
    return query.execute();
  };
  const rows = [...(await range(false)), ...(await range(true))];
  return rows.map((row) => ({
    queueId: row.queue_id,
    endpointId: row.endpoint_id,
    joinedAt: Number(row.joined_at),
    state: row.state,
    firstCalledAt: row.first_called_at === null ? null : Number(row.first_called_at),
    inProgressAt: row.in_progress_at === null ? null : Number(row.in_progress_at),
    doneAt: row.done_at === null ? null : Number(row.done_at),
    noShow: row.no_show_at !== null,
  }));
}
