import { AppError, type ErrorCode } from '../../contract/errors.js';
import type { AdminCaller } from './auth.js';

/** The company an admin call may touch: any for the admin token, its own for a company admin key. */
export function companyInScope(caller: AdminCaller, companyId: string): string {
  if (caller.kind === 'company' && caller.companyId !== companyId) throw new AppError('COMPANY_NOT_FOUND');
  return companyId;
}

/** Resolves an entity reached by its own id (a place, a queue…) and checks it is in the caller's scope. */
export function ownedBy<T extends { company_id: string }>(caller: AdminCaller, entity: T | undefined, notFound: ErrorCode): T {
  if (!entity || (caller.kind === 'company' && entity.company_id !== caller.companyId)) throw new AppError(notFound);
  return entity;
}
