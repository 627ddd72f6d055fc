/**
 * An operator's role as a form (docs/lineberty/auth.md §Roles): the states they may move a ticket
 * to and each other right, one checkbox each; and the role in a line of words for a list.
 */
import { FULL_OPERATOR_ROLES } from '../../../src/contract/operator-roles.js';
import type { Translate } from '../shared/i18n.js';
import type { OperatorRoles } from './api.js';

/** The states an operator may set; calling (next or a chosen ticket) needs 200. */
const STATES = [200, 300, 400, 500, 600, 700] as const;
const RIGHTS = ['recall', 'manageCounter', 'showIndicators', 'bookingClosedForTodayAllowed', 'hiddenModeAllowed'] as const;
type Right = (typeof RIGHTS)[number];

/** What the API gives an operator created without roles: every action but hidden mode. */
export const FULL_ROLE: OperatorRoles = FULL_OPERATOR_ROLES;

export const sameRole = (a: OperatorRoles, b: OperatorRoles) =>
  RIGHTS.every((right) => a[right] === b[right]) &&
  a.allowedStates.length === b.allowedStates.length &&
  a.allowedStates.every((state) => b.allowedStates.includes(state)) &&
  JSON.stringify(a.extendedAttributes) === JSON.stringify(b.extendedAttributes);

export function roleSummary(roles: OperatorRoles, t: Translate): string {
  if (sameRole({ ...roles, extendedAttributes: {} }, FULL_ROLE)) return t('role.full');
  const states = STATES.filter((state) => roles.allowedStates.includes(state)).map((state) => t(`role.state.${state}`));
  const parts = [states.length > 0 ? t('role.movesTo', { states: states.join(', ') }) : t('role.movesNowhere')];
  for (const right of RIGHTS) if (roles[right]) parts.push(t(`role.short.${right}`));
  return parts.join(' · ');
}

export function RoleFields({ roles, t, onChange }: { roles: OperatorRoles; t: Translate; onChange(roles: OperatorRoles): void }) {
  const toggleState = (state: number) =>
    onChange({
      ...roles,
      allowedStates: roles.allowedStates.includes(state)
        ? roles.allowedStates.filter((chosen) => chosen !== state)
        : STATES.filter((known) => known === state || roles.allowedStates.includes(known)),
    });
  return (
    <fieldset>
      <legend>{t('role.title')}</legend>
      <fieldset>
        <legend>{t('role.states')}</legend>
        {STATES.map((state) => (
          <label class="check" key={state}>
            <input type="checkbox" checked={roles.allowedStates.includes(state)} onChange={() => toggleState(state)} />
            {t(`role.state.${state}`)}
          </label>
        ))}
      </fieldset>
      {RIGHTS.map((right: Right) => (
        <label class="check" key={right}>
          <input type="checkbox" checked={roles[right]} onChange={() => onChange({ ...roles, [right]: !roles[right] })} />
          {t(`role.${right}`)}
        </label>
      ))}
    </fieldset>
  );
}
