/**
 * Admin API of apps (docs/design.md §Routes): create with credentials, read (never a secret), change, resume a
 * paused provider, delete; and the app's recent messages. `Authorization: Bearer <admin token>`.
 */
import { Type } from 'typebox';
import type { HttpServer } from '../../platform/http/server.js';
import { changeApp, createApp, getApp, listAppViews, removeApp, resumeAppProvider } from '../apps/app-operations.js';
import type { PushDeps } from '../deps.js';
import { recentMessagesOfApp } from '../push/results.js';
import { AppParams, AppViewSchema, MessageViewSchema, NoContent, errors } from './schemas.js';

const Url = Type.String({ minLength: 1, maxLength: 500, pattern: '^https?://', description: 'Points the provider at a fake or a proxy.' });
const ApnsBody = Type.Object(
  {
    keyP8: Type.String({ minLength: 1, maxLength: 10_000, description: 'The .p8 file content (PEM).' }),
    keyId: Type.String({ minLength: 10, maxLength: 10 }),
    teamId: Type.String({ minLength: 10, maxLength: 10 }),
    topic: Type.String({ minLength: 1, maxLength: 255, description: 'The bundle id.' }),
    baseUrl: Type.Optional(Url),
    sandboxBaseUrl: Type.Optional(Url),
    ca: Type.Optional(Type.String({ maxLength: 20_000, description: 'Extra CA (PEM) to trust, for a fake APNs with a test certificate.' })),
  },
  { additionalProperties: false },
);
const FcmBody = Type.Object(
  {
    serviceAccount: Type.Record(Type.String(), Type.Unknown(), {
      description: 'The service account JSON (token_uri is the token endpoint).',
    }),
    baseUrl: Type.Optional(Url),
  },
  { additionalProperties: false },
);
const WebPushBody = Type.Object(
  {
    publicKey: Type.Optional(Type.String({ maxLength: 200 })),
    privateKey: Type.Optional(Type.String({ maxLength: 200 })),
    subject: Type.Optional(Type.String({ maxLength: 200, description: 'mailto: or https: contact for push services.' })),
  },
  { additionalProperties: false },
);
const Titles = Type.Record(Type.String({ maxLength: 16 }), Type.String({ minLength: 1, maxLength: 100 }), {
  description: 'Notification title per locale (fr_FR, fr) and "default".',
});
const Name = Type.String({ minLength: 1, maxLength: 200 });

const CreateAppBody = Type.Object(
  {
    name: Name,
    titles: Type.Optional(Titles),
    apns: Type.Optional(ApnsBody),
    fcm: Type.Optional(FcmBody),
    webpush: Type.Optional(WebPushBody),
  },
  { additionalProperties: false },
);
const PatchAppBody = Type.Object(
  {
    name: Type.Optional(Name),
    titles: Type.Optional(Titles),
    apns: Type.Optional(Type.Union([ApnsBody, Type.Null()])),
    fcm: Type.Optional(Type.Union([FcmBody, Type.Null()])),
  },
  { additionalProperties: false },
);
const CreatedApp = Type.Object({ appId: Type.String(), appKey: Type.String(), serverKey: Type.String(), vapidPublicKey: Type.String() });
const ResumeParams = Type.Object({
  appId: Type.String({ maxLength: 200 }),
  provider: Type.Union([Type.Literal('apns'), Type.Literal('fcm'), Type.Literal('webpush')]),
});
const MessagesQuery = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })), status: Type.Optional(Type.String({ maxLength: 32 })) },
  { additionalProperties: false },
);

const admin = { tags: ['admin'], security: [{ adminToken: [] }] };

/** Inside the admin group (app.ts), whose hook checks the admin token. */
export function registerAppRoutes(scope: HttpServer, deps: PushDeps): void {
  scope.post(
    '/admin/apps',
    {
      schema: {
        ...admin,
        summary: 'Create an app',
        description:
          'Stores the provider credentials sealed with the master key and generates VAPID keys when none are given. The app key and server key are shown only in this answer.',
        body: CreateAppBody,
        response: { 201: CreatedApp, ...errors(400, 401) },
      },
    },
    async (request, reply) => reply.code(201).send(await createApp(deps, request.body)),
  );

  scope.get(
    '/admin/apps',
    {
      schema: {
        ...admin,
        summary: 'List apps',
        description: 'Every app with its providers (identifiers only) and any paused provider.',
        response: { 200: Type.Object({ apps: Type.Array(AppViewSchema) }), ...errors(401) },
      },
    },
    async () => ({ apps: await listAppViews(deps) }),
  );

  scope.get(
    '/admin/apps/:appId',
    {
      schema: {
        ...admin,
        summary: 'Read an app',
        description: 'Providers, VAPID public key and paused providers with the reason.',
        params: AppParams,
        response: { 200: AppViewSchema, ...errors(401, 404) },
      },
    },
    async (request) => getApp(deps, request.params.appId),
  );

  scope.patch(
    '/admin/apps/:appId',
    {
      schema: {
        ...admin,
        summary: 'Change an app',
        description:
          "New name, titles or provider credentials (null removes a provider). New credentials lift that provider's pause. VAPID keys never change: browsers bind subscriptions to them.",
        params: AppParams,
        body: PatchAppBody,
        response: { 200: AppViewSchema, ...errors(400, 401, 404) },
      },
    },
    async (request) => changeApp(deps, request.params.appId, request.body),
  );

  scope.post(
    '/admin/apps/:appId/providers/:provider/resume',
    {
      schema: {
        ...admin,
        summary: 'Resume a paused provider',
        description:
          'After a credential error paused the provider for this app, sends again (for example once the key is valid again at Apple or Google).',
        params: ResumeParams,
        response: { 200: AppViewSchema, ...errors(400, 401, 404) },
      },
    },
    async (request) => resumeAppProvider(deps, request.params.appId, request.params.provider),
  );

  scope.delete(
    '/admin/apps/:appId',
    {
      schema: {
        ...admin,
        summary: 'Delete an app',
        description: 'Removes the app with its sources, pushIds, devices and history.',
        params: AppParams,
        response: { 204: NoContent, ...errors(401, 404) },
      },
    },
    async (request, reply) => {
      await removeApp(deps, request.params.appId);
      return reply.code(204).send(null);
    },
  );

  scope.get(
    '/admin/apps/:appId/messages',
    {
      schema: {
        ...admin,
        summary: 'Recent messages of an app',
        description: 'Newest first, each with its pushes; filter by status (accepted, unknown_push_id, no_devices, expired_on_arrival).',
        params: AppParams,
        querystring: MessagesQuery,
        response: { 200: Type.Object({ messages: Type.Array(MessageViewSchema) }), ...errors(400, 401, 404) },
      },
    },
    async (request) => {
      await getApp(deps, request.params.appId);
      return recentMessagesOfApp(deps.db, request.params.appId, request.query.limit ?? 50, request.query.status);
    },
  );
}
