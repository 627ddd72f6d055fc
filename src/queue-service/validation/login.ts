/**
 * Operator sessions (docs/design.md §Credentials): direct login at a counter, or Lineberty's
 * pre-login (company from the API key) then assignment to a counter; logout ends the session and
 * revokes its tokens. A session's tokens carry its id as `jti`.
 */
import { AppError } from '../../contract/errors.js';
import { verifyPassword } from '../../platform/secrets.js';
import type { QueueServiceDeps } from '../deps.js';
import type { Endpoint, Operator } from '../db/schema.js';
import { findEndpoint, findEndpointForCompany, queueIdsOfEndpoint } from '../db/queries/endpoints.js';
import { findOperatorByLogin, findOperatorForCompany } from '../db/queries/operators.js';
import { endSession } from '../db/queries/sessions.js';
import type { Auth, OperatorCaller } from '../http/auth.js';
import { parseRoles } from '../entities/operator-roles.js';
import { operatorCounterView } from './counter.js';

/** An operator signs in at a counter; the token is valid for that counter only. */
export async function loginAtCounter(deps: QueueServiceDeps, auth: Auth, endpointId: string, loginId: string, password: string) {
  const endpoint = await findEndpoint(deps.database.db, endpointId);
  if (!endpoint) throw new AppError('ENDPOINT_NOT_FOUND');
  const operator = await checkPassword(deps, endpoint.company_id, loginId, password);
  const sessionId = await auth.startSession('operator', operator.id, operator.company_id);
  return atCounter(deps, auth, operator, endpoint, sessionId);
}

/** Lineberty's pre-login: a session not yet at a counter, in the company of the API key sent. */
export async function preLogin(deps: QueueServiceDeps, auth: Auth, companyId: string, loginId: string, password: string) {
  const operator = await checkPassword(deps, companyId, loginId, password);
  const sessionId = await auth.startSession('operator', operator.id, companyId);
  const token = await auth.signOperatorToken(operator.id, companyId, null, sessionId, Number(operator.token_version));
  return { token, jwtToken: token, operator: operatorSummary(operator), endpoint: null };
}

/** Moves a session (pre-login or already at a counter) to a counter of the operator's company. */
export async function assignToEndpoint(deps: QueueServiceDeps, auth: Auth, caller: OperatorCaller, endpointId: string) {
  const db = deps.database.db;
  const endpoint = await findEndpointForCompany(db, caller.companyId, endpointId);
  if (!endpoint) throw new AppError('ENDPOINT_NOT_FOUND');
  const operator = await findOperatorForCompany(db, caller.companyId, caller.operatorId);
  if (!operator) throw new AppError('UNAUTHENTICATED', 'This operator no longer exists.');
  const sessionId = caller.sessionId ?? (await auth.startSession('operator', operator.id, operator.company_id));
  return atCounter(deps, auth, operator, endpoint, sessionId);
}

export async function logout(deps: QueueServiceDeps, auth: Auth, caller: OperatorCaller): Promise<void> {
  if (!caller.sessionId) return;
  await endSession(deps.database.db, { id: caller.sessionId, kind: 'operator', subjectId: caller.operatorId }, deps.clock.now());
  auth.forgetSession(caller.sessionId);
}

async function checkPassword(deps: QueueServiceDeps, companyId: string, loginId: string, password: string): Promise<Operator> {
  const operator = await findOperatorByLogin(deps.database.db, companyId, loginId);
  // Hash even for an unknown login so timing does not tell which logins exist.
  const valid = await verifyPassword(password, operator?.password_hash ?? UNKNOWN_LOGIN_HASH);
  if (!operator || !valid) throw new AppError('INVALID_CREDENTIALS');
  return operator;
}

async function atCounter(deps: QueueServiceDeps, auth: Auth, operator: Operator, endpoint: Endpoint, sessionId: string) {
  const token = await auth.signOperatorToken(operator.id, operator.company_id, endpoint.id, sessionId, Number(operator.token_version));
  return {
    token,
    jwtToken: token,
    operator: operatorSummary(operator),
    endpoint: await operatorCounterView(deps.database.db, endpoint, await queueIdsOfEndpoint(deps.database.db, endpoint.id)),
  };
}

const operatorSummary = (operator: Operator) => ({
  id: operator.id,
  loginId: operator.login_id,
  name: operator.name,
  roles: parseRoles(operator.roles),
});

const UNKNOWN_LOGIN_HASH = 'scrypt$32768$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
