/**
 * The role an operator gets when created without one (docs/lineberty/auth.md §Roles): every state
 * and right but hidden mode. The API stores it; the admin page starts its role form from it and
 * names it "full" in lists.
 */
export const FULL_OPERATOR_ROLES = {
  allowedStates: [200, 300, 400, 500, 600, 700] as (200 | 300 | 400 | 500 | 600 | 700)[],
  recall: true,
  manageCounter: true,
  showIndicators: true,
  bookingClosedForTodayAllowed: true,
  hiddenModeAllowed: false,
  extendedAttributes: {} as Record<string, unknown>,
};
