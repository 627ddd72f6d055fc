/**
 * What an operator may do: which states they may move a ticket to, whether they may
 * recall, and whether they may open and close a counter. Calling next needs state 200.
 */
import { Type, type Static } from 'typebox';
import { AppError } from '../../contract/errors.js';
import { TICKET_STATE_NAMES, TicketState, type TicketStateCode } from '../../contract/ticket-states.js';

const TargetState = Type.Union([
  Type.Literal(200),
  Type.Literal(300),
  Type.Literal(400),
  Type.Literal(500),
  Type.Literal(600),
  Type.Literal(700),
]);

export const OperatorRolesSchema = Type.Object(
  {
    allowedStates: Type.Array(TargetState, { uniqueItems: true, maxItems: 6, description: 'States this operator may move a ticket to.' }),
    recall: Type.Boolean({ description: 'May call a called or on-hold ticket again.' }),
    manageCounter: Type.Boolean({ description: 'May open and close the counter.' }),
  },
  { additionalProperties: false },
);

export type OperatorRoles = Static<typeof OperatorRolesSchema>;

export const FULL_ROLES: OperatorRoles = { allowedStates: [200, 300, 400, 500, 600, 700], recall: true, manageCounter: true };

export function parseRoles(json: string): OperatorRoles {
  return { ...FULL_ROLES, ...(JSON.parse(json) as Partial<OperatorRoles>) };
}

export function assertMayMoveTo(roles: OperatorRoles, to: TicketStateCode, isRecall: boolean): void {
  if (isRecall && !roles.recall) throw new AppError('ROLE_FORBIDS', 'This operator may not recall tickets.');
  if (!roles.allowedStates.some((state) => state === to)) {
    throw new AppError('ROLE_FORBIDS', `This operator may not move tickets to ${TICKET_STATE_NAMES[to]} (${to}).`);
  }
}

export function assertMayCallNext(roles: OperatorRoles): void {
  assertMayMoveTo(roles, TicketState.CALLED, false);
}

export function assertMayManageCounter(roles: OperatorRoles): void {
  if (!roles.manageCounter) throw new AppError('ROLE_FORBIDS', 'This operator may not open or close the counter.');
}
