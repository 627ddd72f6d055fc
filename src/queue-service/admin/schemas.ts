/** Request and response schemas of the admin API. */
import { Type } from 'typebox';
import { Id, Name } from '../http/schemas.js';
import { SCOPES } from '../http/auth.js';
import { QueueSettingsInput } from '../entities/queue-settings.js';
import { OperatorRolesInput } from '../entities/operator-roles.js';

const Time = Type.String({ format: 'date-time' });
const NullableTime = Type.Union([Time, Type.Null()]);

export const CompanyInput = Type.Object({ name: Name }, { additionalProperties: false });
export const CompanyView = Type.Object({
  id: Id,
  name: Type.String(),
  createdAt: Time,
  retentionDays: Type.Integer({ description: 'Personal data of ended tickets and finished messages is erased after this many days.' }),
});

export const RetentionInput = Type.Object({ days: Type.Integer({ minimum: 1, maximum: 3650 }) }, { additionalProperties: false });

export const KeyInput = Type.Object(
  {
    scopes: Type.Array(Type.Union(SCOPES.map((scope) => Type.Literal(scope))), { minItems: 1, maxItems: 4, uniqueItems: true }),
    name: Type.Optional(Name),
  },
  { additionalProperties: false },
);
const keyFields = {
  id: Id,
  name: Type.String(),
  prefix: Type.String(),
  scopes: Type.Array(Type.String()),
  createdAt: Time,
  revokedAt: NullableTime,
};
export const KeyView = Type.Object(keyFields);

export const ServiceAccountInput = Type.Object(
  {
    name: Type.Optional(Name),
    scopes: Type.Optional(
      Type.Array(Type.Union(SCOPES.map((scope) => Type.Literal(scope))), {
        minItems: 1,
        maxItems: 4,
        uniqueItems: true,
        description: 'Scopes of the API keys it gets from GET /v2/api_key; default ["booking"].',
      }),
    ),
  },
  { additionalProperties: false },
);
export const ServiceAccountKeyFile = Type.Object(
  {
    type: Type.Literal('service_account'),
    project_id: Type.String({ description: 'The company id.' }),
    private_key_id: Type.String({ description: 'Send it as the JWT header kid (optional: the issuer names the account too).' }),
    private_key: Type.String({ description: 'PKCS#8 PEM of an RSA 2048 key: sign server JWTs with RS256. Shown once, never stored.' }),
    client_email: Type.String({ description: 'The JWT iss and email.' }),
    client_id: Type.String(),
    auth_uri: Type.String({ format: 'uri' }),
    token_uri: Type.String({ format: 'uri', description: 'GET it with the server JWT as Authorization: Bearer for {apiKey}.' }),
  },
  { description: "A key file shaped like Lineberty's (Google's service-account format)." },
);
export const ServiceAccountView = Type.Object({
  id: Id,
  name: Type.String(),
  clientEmail: Type.String(),
  clientId: Type.String(),
  privateKeyId: Type.String(),
  scopes: Type.Array(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export const ServiceAccountParams = Type.Object({ companyId: Id, serviceAccountId: Id });
export const CreatedKeyView = Type.Object({ ...keyFields, key: Type.String({ description: 'Shown once; only its hash is stored.' }) });

const Lang = Type.String({ pattern: '^[a-z]{2}([_-][A-Z]{2})?$' });
const Names = Type.Record(Type.String({ pattern: '^[a-z]{2}(_[A-Z]{2})?$' }), Type.String({ minLength: 1, maxLength: 100 }), {
  maxProperties: 20,
  description: 'Names per locale beside the default name, e.g. {"fr_FR": "Guichet 1"}.',
});
const OptionalText = (maxLength: number) => Type.Optional(Type.Union([Type.String({ maxLength }), Type.Null()]));
export const PlaceInput = Type.Object(
  {
    name: Name,
    names: Type.Optional(Names),
    timeZone: Type.String({ minLength: 1, maxLength: 64 }),
    lang: Type.Optional(Lang),
    address: OptionalText(500),
    city: OptionalText(200),
    zip: OptionalText(20),
    country: OptionalText(100),
    position: Type.Optional(
      Type.Union([
        Type.Object(
          { lat: Type.Number({ minimum: -90, maximum: 90 }), lng: Type.Number({ minimum: -180, maximum: 180 }) },
          { additionalProperties: false },
        ),
        Type.Null(),
      ]),
    ),
  },
  { additionalProperties: false },
);
export const PlacePatch = Type.Partial(PlaceInput, { additionalProperties: false });

export const QueueInput = Type.Object(
  {
    name: Name,
    names: Type.Optional(Names),
    subplaceId: Type.Optional(Type.Union([Id, Type.Null()], { description: 'A subplace of the queue’s place to list it under.' })),
    categoryId: Type.Optional(
      Type.Union([Id, Type.Null()], {
        description:
          'A category of the queue’s place, or of one of its subplaces, to list it under; a subplace’s category sets subplaceId when it is left out.',
      }),
    ),
    labelPrefix: Type.Optional(Type.String({ pattern: '^[A-Z]{1,3}$' })),
    settings: Type.Optional(QueueSettingsInput),
  },
  { additionalProperties: false },
);
export const QueuePatch = Type.Partial(QueueInput, { additionalProperties: false });
export const QueueView = Type.Object({
  id: Id,
  companyId: Id,
  placeId: Id,
  name: Type.String(),
  names: Type.Record(Type.String(), Type.String()),
  subplaceId: Type.Union([Id, Type.Null()]),
  categoryId: Type.Union([Id, Type.Null()]),
  labelPrefix: Type.String(),
  settings: Type.Required(Type.Omit(QueueSettingsInput, ['alertThreshold'])),
  bookingPausedUntil: NullableTime,
  createdAt: Time,
});

export const EndpointInput = Type.Object(
  {
    name: Name,
    names: Type.Optional(Names),
    queueIds: Type.Array(Id, { minItems: 1, maxItems: 100 }),
  },
  { additionalProperties: false },
);
export const EndpointPatch = Type.Partial(EndpointInput, { additionalProperties: false });

export const OperatorInput = Type.Object(
  {
    loginId: Type.String({ minLength: 1, maxLength: 100 }),
    password: Type.String({ minLength: 8, maxLength: 200 }),
    name: Type.Optional(Name),
    roles: Type.Optional(OperatorRolesInput),
  },
  { additionalProperties: false },
);
export const OperatorPatch = Type.Partial(OperatorInput, { additionalProperties: false });

export const CompanyParams = Type.Object({ companyId: Id });
export const PlaceParams = Type.Object({ placeId: Id });
export const QueueParams = Type.Object({ queueId: Id });
export const EndpointParams = Type.Object({ endpointId: Id });
export const OperatorParams = Type.Object({ operatorId: Id });
export const WebhookParams = Type.Object({ webhookId: Id });
export const KeyParams = Type.Object({ companyId: Id, keyId: Id });
