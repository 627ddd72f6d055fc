import { describe, expect, it } from 'vitest';
import { ACTION_FOR_STATE, TICKET_STATE_CODES, canTransition, isTicketAction, reminderRuleId, type TicketStateCode } from '../../src/contract/ticket-states.js';

// docs/design.md §States and transitions, written out as pairs so this test is a second, independent copy of the table.
const ALLOWED_PAIRS = `
0>50 0>100 0>200 0>600
50>100 50>200 50>600
100>200 100>600
200>200 200>300 200>500 200>600 200>700
300>200 300>400 300>500 300>600
400>500 400>600
500>700 500>600`.trim().split(/\s+/);

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

  it('sends an action on entering every state but "to confirm"', () => {
    expect(ACTION_FOR_STATE[50]).toBeNull();
    expect(ACTION_FOR_STATE[200]).toBe('TICKET_CALLED');
    expect(ACTION_FOR_STATE[300]).toBe('TICKET_ONHOLD');
  });

  it('knows reminder actions by their numeric rule id', () => {
    expect(isTicketAction('TICKET_REMIND_3')).toBe(true);
    expect(reminderRuleId('TICKET_REMIND_12')).toBe(12);
    expect(isTicketAction('TICKET_REMIND_x')).toBe(false);
    expect(isTicketAction('TICKET_EXPLODED')).toBe(false);
  });
});
