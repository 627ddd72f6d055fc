import { describe, expect, it } from 'vitest';
import {
  ACTION_FOR_STATE,
  TICKET_STATE_CODES,
  canTransition,
  isTicketAction,
  reminderRuleId,
  type TicketStateCode,
} from '../../src/contract/ticket-states.js';

// docs/design.md §States and transitions, written out as pairs so this test is a second, independent copy of the table.
const ALLOWED_PAIRS = `
0>50 0>100 0>200 0>600
50>100 50>200 50>600
100>200 100>600
200>200 200>300 200>500 200>600 200>700
300>200 300>400 300>500 300>600
400>500 400>600
500>700 500>600`
  .trim()
  .split(/\s+/);

describe('ticket state machine', () => {
  const allowed = new Set(ALLOWED_PAIRS);
  for (const from of TICKET_STATE_CODES) {
    for (const to of TICKET_STATE_CODES) {
      const expected = allowed.has(`${from}>${to}`);
      it(`${expected ? 'allows' : 'forbids'} ${from} → ${to}`, () => {
        expect(canTransition(from as TicketStateCode, to as TicketStateCode)).toBe(expected);
      });
    }
  }

  it('makes canceled and done terminal', () => {
    for (const to of TICKET_STATE_CODES) {
      expect(canTransition(600, to)).toBe(false);
      expect(canTransition(700, to)).toBe(false);
    }
  });

  // docs/design.md §States and transitions, written out again: the action each of the nine states sends on entering it.
  const ACTION_ON_ENTERING: Array<[TicketStateCode, string | null]> = [
    [0, 'TICKET_BOOKED'],
    [50, null],
    [100, 'TICKET_ALERTED'],
    [200, 'TICKET_CALLED'],
    [300, 'TICKET_ONHOLD'],
    [400, 'TICKET_NOSHOW'],
    [500, 'TICKET_INPROGRESS'],
    [600, 'TICKET_CANCELED'],
    [700, 'TICKET_DONE'],
  ];

  it('sends its own action on entering every state but "to confirm", which sends none', () => {
    expect([...TICKET_STATE_CODES].sort((a, b) => a - b)).toEqual(ACTION_ON_ENTERING.map(([state]) => state));
    expect(
      Object.keys(ACTION_FOR_STATE)
        .map(Number)
        .sort((a, b) => a - b),
    ).toEqual(ACTION_ON_ENTERING.map(([state]) => state));
    for (const [state, action] of ACTION_ON_ENTERING) expect({ state, action: ACTION_FOR_STATE[state] }).toEqual({ state, action });
  });

  it('knows reminder actions by their numeric rule id', () => {
    expect(isTicketAction('TICKET_REMIND_3')).toBe(true);
    expect(reminderRuleId('TICKET_REMIND_12')).toBe(12);
    expect(isTicketAction('TICKET_REMIND_x')).toBe(false);
    expect(isTicketAction('TICKET_EXPLODED')).toBe(false);
  });
});
