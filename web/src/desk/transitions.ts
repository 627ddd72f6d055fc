/** What an operator can do with a ticket in each state (docs/design.md §States and transitions), limited by their roles. */
import type { Roles, TicketView } from './api.js';

/** Target states offered per state, most likely first; automatic moves (to 50, 100) are not offered. */
const NEXT_STATES: Record<number, number[]> = {
  0: [200, 600],
  50: [200, 600],
  100: [200, 600],
  200: [500, 700, 300, 600],
  300: [500, 400, 600],
  400: [500, 600],
  500: [700, 600],
};
const RECALLABLE = new Set([200, 300]);

export type DeskAction = { kind: 'recall' } | { kind: 'state'; to: number };

export function actionsFor(ticket: TicketView, roles: Roles): DeskAction[] {
  const actions: DeskAction[] = [];
  if (RECALLABLE.has(ticket.state) && roles.recall) actions.push({ kind: 'recall' });
  for (const to of NEXT_STATES[ticket.state] ?? []) {
    if (roles.allowedStates.includes(to)) actions.push({ kind: 'state', to });
  }
  return actions;
}

export const OPEN_STATES = [0, 50, 100, 200, 300, 400, 500];
