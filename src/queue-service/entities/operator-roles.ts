/**
 * What an operator may do (docs/design.md §States and transitions): which states they may move a
 * ticket to, whether they may recall, open and close the counter, see indicators, close booking
 * for the day, and act at a closed counter (hidden mode). Calling next needs state 200.
 * An operator has a role of their own and, per queue, another one where the admin set it (Lineberty
 * nests roles company → place → queue); every check reads the role of the queue concerned.
 * `linebertyRoleView` shows the same document with Lineberty's names (docs/lineberty/auth.md).
 */
import { Type, type Static } from 'typebox';
import { AppError } from '../../contract/errors.js';
import { FULL_OPERATOR_ROLES } from '../../contract/operator-roles.js';
import { TICKET_STATE_CODES, TICKET_STATE_NAMES, allowedTransitions, type TicketStateCode } from '../../contract/ticket-states.js';

const TargetState = Type.Union([
  Type.Literal(200),
  Type.Literal(300),
  Type.Literal(400),
  Type.Literal(500),
  Type.Literal(600),
  Type.Literal(700),
]);

const roleFields = {
  allowedStates: Type.Array(TargetState, { uniqueItems: true, maxItems: 6, description: 'States this operator may move a ticket to.' }),
  recall: Type.Boolean({ description: 'May call a called or on-hold ticket again (Lineberty: recallAllowed).' }),
  manageCounter: Type.Boolean({ description: 'May open and close (pause) the counter (Lineberty: pauseAllowed).' }),
  showIndicators: Type.Boolean({ description: "May read the counter's indicators." }),
  bookingClosedForTodayAllowed: Type.Boolean({ description: "May pause a queue's booking until the end of the day." }),
  hiddenModeAllowed: Type.Boolean({ description: 'May act at a closed counter, in queues whose settings allow hidden mode.' }),
  extendedAttributes: Type.Record(Type.String({ maxLength: 100 }), Type.Unknown(), {
    maxProperties: 50,
    description: 'Free attributes for the integrator, returned as they were given.',
  }),
};

export const OperatorRolesSchema = Type.Object(roleFields, { additionalProperties: false });

/** What the admin API accepts: the fields added for Lineberty may be left out (defaults below). */
export const OperatorRolesInput = Type.Object(
  {
    allowedStates: roleFields.allowedStates,
    recall: roleFields.recall,
    manageCounter: roleFields.manageCounter,
    showIndicators: Type.Optional(roleFields.showIndicators),
    bookingClosedForTodayAllowed: Type.Optional(roleFields.bookingClosedForTodayAllowed),
    hiddenModeAllowed: Type.Optional(roleFields.hiddenModeAllowed),
    extendedAttributes: Type.Optional(roleFields.extendedAttributes),
  },
  { additionalProperties: false },
);

export type OperatorRoles = Static<typeof OperatorRolesSchema>;
export type OperatorRolesPatch = Static<typeof OperatorRolesInput>;

export const FULL_ROLES: OperatorRoles = FULL_OPERATOR_ROLES;

/** Stored roles over the defaults; closing booking for the day needed manageCounter before it had its own flag. */
export function parseRoles(json: string): OperatorRoles {
  const stored = JSON.parse(json) as Partial<OperatorRoles>;
  return { ...FULL_ROLES, bookingClosedForTodayAllowed: stored.manageCounter ?? true, ...stored };
}

/** Lineberty's role object: authorizedSetState maps each state code to the codes this operator may set from it. */
export const LinebertyRoleView = Type.Object({
  authorizedSetState: Type.Record(Type.String({ pattern: '^[0-9]+$' }), Type.Array(TargetState)),
  recallAllowed: Type.Boolean(),
  showIndicators: Type.Boolean(),
  hiddenModeAllowed: Type.Boolean(),
  bookingClosedForTodayAllowed: Type.Boolean(),
  pauseAllowed: Type.Boolean(),
  extendedAttributes: roleFields.extendedAttributes,
});

export function linebertyRoleView(roles: OperatorRoles): Static<typeof LinebertyRoleView> {
  const authorizedSetState: Record<string, Static<typeof TargetState>[]> = {};
  for (const from of TICKET_STATE_CODES) {
    // A recall (200 → 200) is recallAllowed's, not a state change.
    const targets = allowedTransitions(from).filter((to) => to !== from && roles.allowedStates.some((state) => state === to));
    if (targets.length) authorizedSetState[String(from)] = targets as Static<typeof TargetState>[];
  }
  return {
    authorizedSetState,
    recallAllowed: roles.recall,
    showIndicators: roles.showIndicators,
    hiddenModeAllowed: roles.hiddenModeAllowed,
    bookingClosedForTodayAllowed: roles.bookingClosedForTodayAllowed,
    pauseAllowed: roles.manageCounter,
    extendedAttributes: roles.extendedAttributes,
  };
}

/** An operator's own role and the queues where another one applies. */
export interface OperatorRoleSet {
  own: OperatorRoles;
  byQueue: ReadonlyMap<string, OperatorRoles>;
}

export const ALL_ALLOWED: OperatorRoleSet = { own: FULL_ROLES, byQueue: new Map() };

export function rolesInQueue(roles: OperatorRoleSet, queueId: string): OperatorRoles {
  return roles.byQueue.get(queueId) ?? roles.own;
}

/** The queues among `queueIds` whose role `allows`; none of them (or, without queues, not the own role): 403 ROLE_FORBIDS saying `refusal`. */
export function queuesAllowing(
  roles: OperatorRoleSet,
  queueIds: readonly string[],
  allows: (role: OperatorRoles) => boolean,
  refusal: string,
): string[] {
  const allowed = queueIds.filter((queueId) => allows(rolesInQueue(roles, queueId)));
  if (allowed.length === 0 && (queueIds.length > 0 || !allows(roles.own))) throw new AppError('ROLE_FORBIDS', refusal);
  return allowed;
}

export function assertMayMoveTo(roles: OperatorRoles, to: TicketStateCode, isRecall: boolean): void {
  if (isRecall && !roles.recall) throw new AppError('ROLE_FORBIDS', 'This operator may not recall tickets.');
  if (!roles.allowedStates.some((state) => state === to)) {
    throw new AppError('ROLE_FORBIDS', `This operator may not move tickets to ${TICKET_STATE_NAMES[to]} (${to}).`);
  }
}

export function assertMayCloseBookingForToday(roles: OperatorRoles): void {
  if (!roles.bookingClosedForTodayAllowed) throw new AppError('ROLE_FORBIDS', "This operator may not pause a queue's booking for the day.");
}
