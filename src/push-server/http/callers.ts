/**
 * The callers of the push server's route groups (docs/design.md §HTTP route groups). Each
 * `require…` function is called inside one group's plugin: it adds the hook that checks the
 * group's credential and, where the credential names someone, decorates the request with them.
 * Handlers read `request.pushApp`, `request.pushIdOwner` or `request.pushesReader`.
 */
import type { FastifyRequest } from 'fastify';
import { requireCaller } from '../../platform/http/route-group.js';
import type { HttpServer } from '../../platform/http/server.js';
import type { AppRow } from '../db/queries/apps.js';
import type { PushIdRow } from '../db/queries/push-ids.js';
import type { PushDeps } from '../deps.js';
import { checkAdmin, checkAppKey, checkPushIdSecret, checkServerKey, isAdmin } from './auth.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The app whose public key (x-app-key) or server key (x-server-key) came with the request. */
    pushApp: AppRow;
    /** The pushId whose secret came as Authorization: Bearer. */
    pushIdOwner: PushIdRow;
    /** Whose pushes a results call may read: an owner its own pushId's, the admin any app's (appId null). */
    pushesReader: { appId: string | null; pushId: string };
  }
}

/**
 * Counts every request of the group per client address, on arrival: before any credential is
 * checked, so guessing pushId secrets or app ids costs the guesser their share too.
 */
export function limitPerAddress(scope: HttpServer, deps: PushDeps): void {
  scope.addHook('onRequest', async (request) => deps.perAddress.take(request.ip));
}

/** The admin token, checked on arrival: nothing of an unauthenticated admin call is read or parsed. */
export function requireAdminToken(scope: HttpServer, deps: PushDeps): void {
  scope.addHook('onRequest', async (request) => checkAdmin(deps, request));
}

export function requireAppKey(scope: HttpServer, deps: PushDeps): void {
  requireCaller(scope, 'pushApp', (request) => checkAppKey(deps, appIdOf(request), request));
}

export function requireServerKey(scope: HttpServer, deps: PushDeps): void {
  requireCaller(scope, 'pushApp', (request) => checkServerKey(deps, appIdOf(request), request));
}

export function requirePushIdSecret(scope: HttpServer, deps: PushDeps): void {
  requireCaller(scope, 'pushIdOwner', (request) => checkPushIdSecret(deps, pushIdOf(request), request));
}

/** The admin token or the pushId's secret. */
export function requirePushesReader(scope: HttpServer, deps: PushDeps): void {
  requireCaller(scope, 'pushesReader', async (request) => {
    if (isAdmin(deps, request)) return { appId: null, pushId: pushIdOf(request) };
    const owner = await checkPushIdSecret(deps, pushIdOf(request), request);
    return { appId: owner.app_id, pushId: owner.push_id };
  });
}

function appIdOf(request: FastifyRequest): string {
  return (request.params as { appId: string }).appId;
}

function pushIdOf(request: FastifyRequest): string {
  return (request.params as { pushId: string }).pushId;
}
