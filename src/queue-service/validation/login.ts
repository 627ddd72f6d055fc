import { AppError } from '../../contract/errors.js';
import { verifyPassword } from '../../platform/secrets.js';
import type { QueueServiceDeps } from '../deps.js';
import { findEndpoint, queueIdsOfEndpoint } from '../db/queries/endpoints.js';
import { findOperatorByLogin } from '../db/queries/operators.js';
import type { Auth } from '../http/auth.js';
import { parseRoles } from '../entities/operator-roles.js';
import { endpointView } from '../entities/views.js';

/** An operator signs in at a counter; the token is valid for that counter only. */
export async function loginAtCounter(deps: QueueServiceDeps, auth: Auth, endpointId: string, loginId: string, password: string) {
  const db = deps.database.db;
  const endpoint = await findEndpoint(db, endpointId);
  if (!endpoint) throw new AppError('ENDPOINT_NOT_FOUND');
  const operator = await findOperatorByLogin(db, endpoint.company_id, loginId);
  // Hash even for an unknown login so timing does not tell which logins exist.
  const valid = await verifyPassword(password, operator?.password_hash ?? UNKNOWN_LOGIN_HASH);
  if (!operator || !valid) throw new AppError('INVALID_CREDENTIALS');
  return {
    token: await auth.signOperatorToken(operator.id, operator.company_id, endpoint.id),
    operator: { id: operator.id, loginId: operator.login_id, name: operator.name, roles: parseRoles(operator.roles) },
    endpoint: endpointView(endpoint, await queueIdsOfEndpoint(db, endpoint.id)),
  };
}

const UNKNOWN_LOGIN_HASH = 'scrypt$32768$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
