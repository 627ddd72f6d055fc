/** Admin routes for what the public pages use (admin/pages-settings.ts). */
import { Type } from 'typebox';
import { AppError } from '../../contract/errors.js';
import type { HttpServer } from '../../platform/http/server.js';
import type { QueueServiceDeps } from '../deps.js';
import { Security, errors } from '../http/schemas.js';
import { getPagesSettings, setPagesSettings } from './pages-settings.js';

const Text = Type.String({ minLength: 1, maxLength: 500 });
const Nullable = <T extends ReturnType<typeof Type.Object> | typeof Text>(schema: T) => Type.Union([schema, Type.Null()]);
const HttpUrl = Type.String({ pattern: '^https?://', maxLength: 500 });

const PagesSettings = Type.Object(
  {
    bookingKey: Nullable(Text),
    placeId: Nullable(Text),
    queueId: Nullable(Text),
    push: Nullable(
      Type.Object(
        { serverUrl: HttpUrl, appId: Text, appKey: Text, vapidPublicKey: Nullable(Text) },
        {
          additionalProperties: false,
          description:
            "The push app the ticket page registers with: the push server's public URL, the app's id, app key and VAPID public key.",
        },
      ),
    ),
    demo: Type.Optional(
      Nullable(
        Type.Object(
          { webPushBridgeUrl: Nullable(Text), endpointId: Nullable(Text), operatorLoginId: Nullable(Text) },
          { additionalProperties: false, description: 'Set by `npm start --demo` only.' },
        ),
      ),
    ),
  },
  { additionalProperties: false },
);

export function registerPagesRoutes(scope: HttpServer, deps: QueueServiceDeps): void {
  const tags = ['admin'];
  const security = Security.admin;

  scope.get(
    '/admin/pages',
    {
      schema: {
        tags,
        security,
        summary: 'What the public pages use',
        description: 'The booking key, place, queue and push app that /config.json gives the ticket page and the display board.',
        response: { 200: PagesSettings, ...errors(401, 403) },
      },
    },
    async (request) => {
      if (request.admin.kind !== 'root') throw new AppError('FORBIDDEN', 'Only the admin token reads the pages settings.');
      return getPagesSettings(deps);
    },
  );

  scope.put(
    '/admin/pages',
    {
      schema: {
        tags,
        security,
        summary: 'Set what the public pages use',
        description:
          'Public values only: a key with the booking scope (it ships in every page anyway), the place and queue the pages open on, and the push app. Each is checked: the queue must be of the place, the key must book for its company.',
        body: PagesSettings,
        response: { 200: PagesSettings, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      if (request.admin.kind !== 'root') throw new AppError('FORBIDDEN', 'Only the admin token sets the pages.');
      return setPagesSettings(deps, { demo: null, ...request.body });
    },
  );
}
