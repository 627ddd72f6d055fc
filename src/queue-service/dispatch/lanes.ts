/**
 * Per-ticket order and "latest state wins" (docs/design.md §Delivery), as a pure decision over one ticket's
 * messages. A lane is one ticket's messages to one destination (or to its phone, or its mailbox).
 * In a lane:
 * - only the newest message may be sent, and only while no older one is on the wire — so message
 *   n+1 never overtakes n, and n is never sent after n+1;
 * - every older message not on the wire is superseded (each message carries the whole ticket);
 * - a message past its deadline is expired, never sent late.
 * The claim query (db/queries/message-claims.ts) reads the lanes of its candidates under a lane lock
 * and applies this plan, which the dispatcher passes in (db/ never imports dispatch/).
 */
import { laneKey, type LanePlan, type LaneRow } from '../db/queries/message-claims.js';

export type { LanePlan, LaneRow };

const isActive = (row: LaneRow) => row.status === 'pending' || row.status === 'delivering';
/** Claimed by a worker whose lease still runs: it may be on the wire right now. */
const isOnTheWire = (row: LaneRow, now: number) => row.status === 'delivering' && row.next_attempt_at > now;

/**
 * `rows`: every message of the lanes' tickets, in any status. `claimable`: the due messages this
 * worker holds (locked) and may claim.
 */
export function planLanes(rows: LaneRow[], now: number, claimable: ReadonlySet<string>): LanePlan {
  const plan: LanePlan = { claim: [], supersede: [], expire: [], held: 0 };
  for (const lane of groupByLane(rows).values()) planLane(lane, now, claimable, plan);
  return plan;
}

function planLane(lane: LaneRow[], now: number, claimable: ReadonlySet<string>, plan: LanePlan): void {
  const newest = lane.reduce((a, b) => (b.ticket_version > a.ticket_version ? b : a));
  const busy = lane.some((row) => isOnTheWire(row, now));
  for (const row of lane) {
    if (!isActive(row) || isOnTheWire(row, now)) continue;
    if (row.deliver_by <= now) plan.expire.push(row.id);
    else if (row !== newest) plan.supersede.push(row.id);
    else if (row.next_attempt_at > now) continue;
    else if (busy) plan.held += 1;
    else if (claimable.has(row.id)) plan.claim.push(row.id);
  }
}

function groupByLane(rows: LaneRow[]): Map<string, LaneRow[]> {
  const lanes = new Map<string, LaneRow[]>();
  for (const row of rows) {
    const key = laneKey(row);
    const lane = lanes.get(key);
    if (lane) lane.push(row);
    else lanes.set(key, [row]);
  }
  return lanes;
}
