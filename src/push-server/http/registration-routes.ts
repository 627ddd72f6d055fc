/**
 * Step ① over HTTP (docs/design.md §Routes): an app registers a device with its public key and receives a
 * pushId and secret; the secret governs the pushId afterwards; a backend with the server key may
 * put devices under pushIds of its own choosing. The VAPID public key is public, for web pages.
 * Sub-groups per credential; web pages call all but the server-key ones, which send no CORS headers.
 */
import { Type } from 'typebox';
import { routeGroup } from '../../platform/http/route-group.js';
import type { HttpServer } from '../../platform/http/server.js';
import type { PushDeps } from '../deps.js';
import { DeviceBodySchema } from '../registration/device-input.js';
import {
  addDevice,
  changeDevice,
  describePushId,
  registerNewPushId,
  removeAllDevices,
  removeDevice,
  serverPutDevice,
} from '../registration/registration.js';
import { vapidPublicKeyOf } from '../apps/credentials.js';
import { AppError } from '../../contract/errors.js';
import { allowBrowsers } from './browser-cors.js';
import { limitPerAddress, requireAppKey, requirePushIdSecret, requireServerKey } from './callers.js';
import { AppParams, AppPushIdParams, DeviceParams, DeviceViewSchema, NoContent, PushIdParams, errors } from './schemas.js';

const Registered = Type.Object({ pushId: Type.String(), secret: Type.String(), deviceId: Type.String() });
const DeviceSaved = Type.Object({ pushId: Type.String(), deviceId: Type.String() });
const PushIdView = Type.Object({ pushId: Type.String(), appId: Type.String(), devices: Type.Array(DeviceViewSchema) });

const withAppKey = { tags: ['registration'], security: [{ appKey: [] }] };
const withSecret = { tags: ['registration'], security: [{ pushIdSecret: [] }] };
const withServerKey = { tags: ['registration'], security: [{ serverKey: [] }] };

export async function registerRegistrationRoutes(app: HttpServer, deps: PushDeps): Promise<void> {
  await routeGroup(app, async (browser) => {
    allowBrowsers(browser);
    limitPerAddress(browser, deps);
    publicRoutes(browser, deps);
    await routeGroup(browser, (scope) => {
      requireAppKey(scope, deps);
      appKeyRoutes(scope, deps);
    });
    await routeGroup(browser, (scope) => {
      requirePushIdSecret(scope, deps);
      pushIdRoutes(scope, deps);
    });
  });
  await routeGroup(app, (scope) => {
    requireServerKey(scope, deps);
    serverKeyRoutes(scope, deps);
  });
}

function publicRoutes(scope: HttpServer, deps: PushDeps): void {
  scope.get(
    '/v1/apps/:appId/vapid-public-key',
    {
      schema: {
        tags: ['registration'],
        summary: "The app's VAPID public key",
        description: 'What a web page passes as applicationServerKey to pushManager.subscribe(). Public.',
        params: AppParams,
        response: { 200: Type.Object({ vapidPublicKey: Type.String() }), ...errors(404) },
      },
    },
    async (request) => {
      const row = await deps.apps.row(request.params.appId);
      if (!row) throw new AppError('APP_NOT_FOUND');
      return { vapidPublicKey: vapidPublicKeyOf(row) };
    },
  );
}

function appKeyRoutes(scope: HttpServer, deps: PushDeps): void {
  scope.post(
    '/v1/apps/:appId/devices',
    {
      schema: {
        ...withAppKey,
        summary: 'Register a device under a new pushId',
        description:
          'Answers a new pushId and the secret that governs it (shown only here). A token already registered moves to the new pushId.',
        params: AppParams,
        body: DeviceBodySchema,
        response: { 201: Registered, ...errors(400, 401, 404, 409) },
      },
    },
    async (request, reply) => {
      const { pushId, secret, deviceId } = await registerNewPushId(deps, request.params.appId, request.body);
      return reply.code(201).send({ pushId, secret, deviceId });
    },
  );
}

function pushIdRoutes(scope: HttpServer, deps: PushDeps): void {
  scope.post(
    '/v1/push-ids/:pushId/devices',
    {
      schema: {
        ...withSecret,
        summary: 'Add a device to a pushId',
        description: 'Another phone, tablet or browser of the same person.',
        params: PushIdParams,
        body: DeviceBodySchema,
        response: { 201: DeviceSaved, ...errors(400, 401, 409) },
      },
    },
    async (request, reply) => {
      const owner = request.pushIdOwner;
      return reply.code(201).send({ pushId: owner.push_id, deviceId: await addDevice(deps, owner, request.body) });
    },
  );

  scope.get(
    '/v1/push-ids/:pushId',
    {
      schema: {
        ...withSecret,
        summary: 'Read a pushId',
        description: 'Its devices, with only the end of each token.',
        params: PushIdParams,
        response: { 200: PushIdView, ...errors(401) },
      },
    },
    async (request) => describePushId(deps, request.pushIdOwner.app_id, request.pushIdOwner.push_id),
  );

  scope.put(
    '/v1/push-ids/:pushId/devices/:deviceId',
    {
      schema: {
        ...withSecret,
        summary: 'Update a device',
        description: 'A new token (the OS rotated it) or a new locale.',
        params: DeviceParams,
        body: DeviceBodySchema,
        response: { 204: NoContent, ...errors(400, 401, 404) },
      },
    },
    async (request, reply) => {
      await changeDevice(deps, request.pushIdOwner, request.params.deviceId, request.body);
      return reply.code(204).send(null);
    },
  );

  scope.delete(
    '/v1/push-ids/:pushId/devices/:deviceId',
    {
      schema: {
        ...withSecret,
        summary: 'Remove a device',
        description: 'That device gets no more pushes.',
        params: DeviceParams,
        response: { 204: NoContent, ...errors(401, 404) },
      },
    },
    async (request, reply) => {
      await removeDevice(deps, request.pushIdOwner, request.params.deviceId);
      return reply.code(204).send(null);
    },
  );

  scope.delete(
    '/v1/push-ids/:pushId',
    {
      schema: {
        ...withSecret,
        summary: 'Log out',
        description: 'Removes every device of the pushId; the pushId and its secret stay usable.',
        params: PushIdParams,
        response: { 204: NoContent, ...errors(401) },
      },
    },
    async (request, reply) => {
      await removeAllDevices(deps, request.pushIdOwner.app_id, request.pushIdOwner.push_id);
      return reply.code(204).send(null);
    },
  );
}

function serverKeyRoutes(scope: HttpServer, deps: PushDeps): void {
  scope.put(
    '/v1/apps/:appId/push-ids/:pushId/devices',
    {
      schema: {
        ...withServerKey,
        summary: "Put a device under a pushId of the backend's choosing",
        description: 'For company backends that already have user ids. Idempotent: the same token again changes nothing but its details.',
        params: AppPushIdParams,
        body: DeviceBodySchema,
        response: { 200: DeviceSaved, ...errors(400, 401, 404, 409) },
      },
    },
    async (request) => ({
      pushId: request.params.pushId,
      deviceId: await serverPutDevice(deps, request.params.appId, request.params.pushId, request.body),
    }),
  );

  scope.delete(
    '/v1/apps/:appId/push-ids/:pushId',
    {
      schema: {
        ...withServerKey,
        summary: 'Log out a backend-chosen pushId',
        description: 'Removes every device of the pushId.',
        params: AppPushIdParams,
        response: { 204: NoContent, ...errors(401, 404) },
      },
    },
    async (request, reply) => {
      await removeAllDevices(deps, request.params.appId, request.params.pushId);
      return reply.code(204).send(null);
    },
  );
}
