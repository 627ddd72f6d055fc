/** Ticket state codes and the transition table (docs/design.md §States and transitions). Pure data, shared by every part. */

export const TicketState = {
  BOOKED: 0,
  TO_CONFIRM: 50,
  ALERTED: 100,
  CALLED: 200,
  ON_HOLD: 300,
  NO_SHOW: 400,
  IN_PROGRESS: 500,
  CANCELED: 600,
  DONE: 700,
} as const;

export type TicketStateCode = (typeof TicketState)[keyof typeof TicketState];

export const TICKET_STATE_CODES: readonly TicketStateCode[] = Object.values(TicketState);

export const TICKET_STATE_NAMES: Record<TicketStateCode, string> = {
  0: 'booked',
  50: 'toConfirm',
  100: 'alerted',
  200: 'called',
  300: 'onHold',
  400: 'noShow',
  500: 'inProgress',
  600: 'canceled',
  700: 'done',
};

/** The action sent when a ticket enters a state; TO_CONFIRM sends nothing. */
export const ACTION_FOR_STATE: Record<TicketStateCode, TicketAction | null> = {
  0: 'TICKET_BOOKED',
  50: null,
  100: 'TICKET_ALERTED',
  200: 'TICKET_CALLED',
  300: 'TICKET_ONHOLD',
  400: 'TICKET_NOSHOW',
  500: 'TICKET_INPROGRESS',
  600: 'TICKET_CANCELED',
  700: 'TICKET_DONE',
};

export const STATE_ACTIONS = [
  'TICKET_BOOKED',
  'TICKET_ALERTED',
  'TICKET_CALLED',
  'TICKET_ONHOLD',
  'TICKET_NOSHOW',
  'TICKET_INPROGRESS',
  'TICKET_CANCELED',
  'TICKET_DONE',
] as const;

export type StateAction = (typeof STATE_ACTIONS)[number];
/** Reminder actions carry the id of the queue's reminder rule: any positive integer (`TICKET_REMIND_12345`). */
export type ReminderAction = `TICKET_REMIND_${number}`;
export type TicketAction = StateAction | ReminderAction;

/** The largest reminder rule id: exact in a JavaScript number and in a bigint column. */
export const MAX_REMINDER_ID = Number.MAX_SAFE_INTEGER;

const REMINDER_ACTION = /^TICKET_REMIND_([1-9][0-9]{0,15})$/;

export function isTicketAction(value: string): value is TicketAction {
  return (STATE_ACTIONS as readonly string[]).includes(value) || reminderRuleId(value) !== null;
}

export function reminderAction(ruleId: number): ReminderAction {
  return `TICKET_REMIND_${ruleId}`;
}

export function reminderRuleId(action: string): number | null {
  const match = REMINDER_ACTION.exec(action);
  const id = match ? Number(match[1]) : null;
  return id !== null && id <= MAX_REMINDER_ID ? id : null;
}

const ALLOWED: Record<TicketStateCode, readonly TicketStateCode[]> = {
  0: [50, 100, 200, 600],
  50: [100, 200, 600],
  100: [200, 600],
  200: [200, 300, 500, 600, 700],
  300: [200, 400, 500, 600],
  400: [500, 600],
  500: [700, 600],
  600: [],
  700: [],
};

export function isTicketStateCode(value: number): value is TicketStateCode {
  return TICKET_STATE_CODES.some((code) => code === value);
}

export function canTransition(from: TicketStateCode, to: TicketStateCode): boolean {
  return ALLOWED[from].includes(to);
}

export function allowedTransitions(from: TicketStateCode): readonly TicketStateCode[] {
  return ALLOWED[from];
}

/** Waiting means "not yet called": these tickets hold a place in the line. */
export function isWaiting(state: TicketStateCode): boolean {
  return state === TicketState.BOOKED || state === TicketState.TO_CONFIRM || state === TicketState.ALERTED;
}
