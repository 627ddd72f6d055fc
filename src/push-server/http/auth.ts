/**
 * The four credentials of the push server, each checked by one function: the admin token, an
 * app's public key (`x-app-key`, registration only), an app's server key (`x-server-key`, pushIds a
 * backend chooses) and a pushId's secret (`Authorization: Bearer`). Hash-and-compare keeps the
 * comparison constant-time and the stored values useless to a database reader. The route groups'
 * hooks (callers.ts) call these; handlers never do.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../contract/errors.js';
import { hashToken } from '../../platform/secrets.js';
import type { AppRow } from '../db/queries/apps.js';
import type { PushIdRow } from '../db/queries/push-ids.js';
import type { PushDeps } from '../deps.js';
import { bearerOf } from '../ingest/authenticate.js';
import { authenticatePushId } from '../registration/registration.js';

export function isAdmin(deps: PushDeps, request: FastifyRequest): boolean {
  const token = bearerOf(request.headers.authorization);
  return token !== null && sameHash(hashToken(token), hashToken(deps.adminToken));
}

export function checkAdmin(deps: PushDeps, request: FastifyRequest): void {
  if (!isAdmin(deps, request)) throw new AppError('UNAUTHENTICATED', 'The admin token is missing or wrong.');
}

export async function checkAppKey(deps: PushDeps, appId: string, request: FastifyRequest): Promise<AppRow> {
  const app = await deps.apps.row(appId);
  if (!app) throw new AppError('APP_NOT_FOUND');
  const key = single(request.headers['x-app-key']);
  if (!key || !sameHash(hashToken(key), app.app_key_hash)) throw new AppError('INVALID_APP_KEY');
  return app;
}

export async function checkServerKey(deps: PushDeps, appId: string, request: FastifyRequest): Promise<AppRow> {
  const app = await deps.apps.row(appId);
  if (!app) throw new AppError('APP_NOT_FOUND');
  const key = single(request.headers['x-server-key']);
  if (!key || !sameHash(hashToken(key), app.server_key_hash)) throw new AppError('INVALID_SERVER_KEY');
  return app;
}

export function checkPushIdSecret(deps: PushDeps, pushId: string, request: FastifyRequest): Promise<PushIdRow> {
  return authenticatePushId(deps, pushId, bearerOf(request.headers.authorization));
}

function sameHash(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
