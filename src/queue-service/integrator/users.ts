/**
 * Users and their sessions (docs/design.md §Credentials). Lineberty's integrator server creates a
 * user, logs them in (a new session) and refreshes the session's token; every token of a session
 * carries its id as `jti`, and ending the session revokes them all.
 */
import { AppError } from '../../contract/errors.js';
import { newId } from '../../platform/ids.js';
import type { QueueServiceDeps } from '../deps.js';
import { endSession, findSession } from '../db/queries/sessions.js';
import { insertUser, userExistsForCompany } from '../db/queries/users.js';
import type { Auth } from '../http/auth.js';

export async function createUser(deps: QueueServiceDeps, auth: Auth, companyId: string) {
  const userId = newId('usr');
  await insertUser(deps.database.db, { id: userId, company_id: companyId, created_at: deps.clock.now() });
  return tokenInNewSession(auth, companyId, userId);
}

/** A new session for an existing user: what a person gets back on another device or after logout. */
export async function loginUser(deps: QueueServiceDeps, auth: Auth, companyId: string, userId: string) {
  if (!(await userExistsForCompany(deps.database.db, companyId, userId))) throw new AppError('USER_NOT_FOUND');
  return tokenInNewSession(auth, companyId, userId);
}

/** A fresh token in the same session (same jti), while the session lives. */
export async function refreshUserSession(deps: QueueServiceDeps, auth: Auth, companyId: string, userId: string, sessionId: string) {
  const session = await userSession(deps, companyId, userId, sessionId);
  if (session.ended_at !== null) throw new AppError('UNAUTHENTICATED', 'This session has ended; log the user in again.');
  return { userId, jwtToken: await auth.signUserToken(userId, companyId, sessionId) };
}

/** The user's own token renewed (POST /v2/users/token); a token from before sessions starts one. */
export async function renewUserToken(auth: Auth, caller: { companyId: string; userId: string; sessionId: string | null }) {
  if (!caller.sessionId) return tokenInNewSession(auth, caller.companyId, caller.userId);
  return { userId: caller.userId, jwtToken: await auth.signUserToken(caller.userId, caller.companyId, caller.sessionId) };
}

export async function endUserSession(
  deps: QueueServiceDeps,
  auth: Auth,
  companyId: string,
  userId: string,
  sessionId: string,
): Promise<void> {
  await userSession(deps, companyId, userId, sessionId);
  await endSession(deps.database.db, { id: sessionId, kind: 'user', subjectId: userId }, deps.clock.now());
  auth.forgetSession(sessionId);
}

/** A session of this user in this company, ended or not; anything else is SESSION_NOT_FOUND. */
async function userSession(deps: QueueServiceDeps, companyId: string, userId: string, sessionId: string) {
  const session = await findSession(deps.database.db, sessionId);
  const ours = session?.kind === 'user' && session.subject_id === userId && session.company_id === companyId;
  if (!session || !ours) throw new AppError('SESSION_NOT_FOUND');
  return session;
}

async function tokenInNewSession(auth: Auth, companyId: string, userId: string) {
  const sessionId = await auth.startSession('user', userId, companyId);
  return { userId, jwtToken: await auth.signUserToken(userId, companyId, sessionId) };
}
