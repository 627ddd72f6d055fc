/** Schemas shared by the push server's routes: path parameters, the error shape, security schemes. */
import { Type } from 'typebox';

const ErrorSchema = Type.Object(
  {
    error: Type.Object({ code: Type.String(), message: Type.String(), details: Type.Optional(Type.Unknown()) }),
  },
  { description: 'The one error shape of queuebell.' },
);

const id = (description: string) => Type.String({ minLength: 1, maxLength: 200, description });

export const AppParams = Type.Object({ appId: id('The app id (app_…).') });
export const PushIdParams = Type.Object({ pushId: id('The pushId.') });
export const AppPushIdParams = Type.Object({
  appId: id('The app id (app_…).'),
  pushId: Type.String({
    minLength: 1,
    maxLength: 200,
    pattern: '^[A-Za-z0-9._~:@+=-]+$',
    description: "A pushId of the backend's choosing.",
  }),
});
export const DeviceParams = Type.Object({ pushId: id('The pushId.'), deviceId: id('The device id (dev_…).') });
export const SourceParams = Type.Object({ appId: id('The app id (app_…).'), sourceId: id('The source id (src_…).') });
export const LimitQuery = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })) },
  { additionalProperties: false },
);

export const errors = (...statuses: number[]) => Object.fromEntries(statuses.map((status) => [status, ErrorSchema]));

export const SECURITY_SCHEMES = {
  adminToken: { type: 'http', scheme: 'bearer', description: 'QUEUEBELL_ADMIN_TOKEN' },
  appKey: { type: 'apiKey', in: 'header', name: 'x-app-key', description: "The app's public key: registers devices only." },
  serverKey: {
    type: 'apiKey',
    in: 'header',
    name: 'x-server-key',
    description: "The app's server key, for backends that choose their own pushIds.",
  },
  pushIdSecret: { type: 'http', scheme: 'bearer', description: 'The secret returned with a new pushId.' },
  webhookSignature: {
    type: 'apiKey',
    in: 'header',
    name: 'webhook-signature',
    description:
      'Standard Webhooks signature of a source (with webhook-id and webhook-timestamp), or a source token as Authorization: Bearer.',
  },
};

const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);
const Str = () => Type.String();
const Providers = Type.Union([Type.Literal('apns'), Type.Literal('fcm'), Type.Literal('webpush')]);

export const NoContent = Type.Null({ description: 'No content.' });

export const AppViewSchema = Type.Object({
  appId: Str(),
  name: Str(),
  titles: Type.Record(Type.String(), Type.String()),
  apns: Type.Union([
    Type.Object({ keyId: Str(), teamId: Str(), topic: Str(), baseUrl: Nullable(Str()), sandboxBaseUrl: Nullable(Str()) }),
    Type.Null(),
  ]),
  fcm: Type.Union([Type.Object({ projectId: Str(), clientEmail: Str(), baseUrl: Nullable(Str()) }), Type.Null()]),
  webpush: Type.Object({ publicKey: Str(), subject: Str() }),
  vapidPublicKey: Str(),
  paused: Type.Array(Type.Object({ provider: Providers, reason: Str(), pausedAt: Str() })),
  createdAt: Str(),
  updatedAt: Str(),
});

export const SourceViewSchema = Type.Object({
  sourceId: Str(),
  name: Str(),
  mode: Str(),
  receiptUrl: Nullable(Str()),
  createdAt: Str(),
  updatedAt: Str(),
});

const PushViewSchema = Type.Object({
  pushJobId: Str(),
  deviceId: Str(),
  provider: Providers,
  status: Str(),
  attempts: Type.Integer(),
  lastStatus: Type.Union([Type.Integer(), Type.Null()]),
  lastReason: Nullable(Str()),
  nextAttemptAt: Nullable(Str()),
  updatedAt: Str(),
  finishedAt: Nullable(Str()),
});

export const MessageViewSchema = Type.Object({
  messageId: Str(),
  webhookId: Str(),
  appId: Str(),
  pushId: Str(),
  action: Str(),
  status: Type.String({ description: 'accepted, unknown_push_id, no_devices or expired_on_arrival' }),
  receivedAt: Str(),
  deliverBy: Str(),
  pushes: Type.Array(PushViewSchema),
});

export const DeviceViewSchema = Type.Object({
  deviceId: Str(),
  provider: Providers,
  environment: Nullable(Str()),
  locale: Nullable(Str()),
  tokenEnd: Type.String({ description: 'The end of the token (or the push service host), to tell devices apart.' }),
  createdAt: Str(),
  updatedAt: Str(),
});
