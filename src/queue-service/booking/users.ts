import { newId } from '../../platform/ids.js';
import type { QueueServiceDeps } from '../deps.js';
import { insertUser } from '../db/queries/users.js';
import type { Auth } from '../http/auth.js';

/** A person using the booking app gets an id and a token; their tickets are theirs alone. */
export async function createUser(deps: QueueServiceDeps, auth: Auth, companyId: string) {
  const userId = newId('usr');
  await insertUser(deps.database.db, { id: userId, company_id: companyId, created_at: deps.clock.now() });
  return { userId, jwtToken: await auth.signUserToken(userId, companyId) };
}

export async function refreshUserToken(auth: Auth, userId: string, companyId: string) {
  return { userId, jwtToken: await auth.signUserToken(userId, companyId) };
}
