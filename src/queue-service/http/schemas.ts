/** Schemas shared by the queue service's routes. */
import { Type, type TObject, type TProperties } from 'typebox';

export const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });
export const Name = Type.String({ minLength: 1, maxLength: 200 });

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({ code: Type.String(), message: Type.String(), details: Type.Optional(Type.Unknown()) }),
  },
  { description: 'The one error shape of queuebell.' },
);

/** Query strings always tolerate `key`, the Lineberty-style way to pass the API key. */
export function Query<P extends TProperties>(
  properties: P,
): TObject<P & { key: ReturnType<typeof Type.Optional<ReturnType<typeof Type.String>>> }> {
  return Type.Object({ ...properties, key: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false }) as never;
}

export const KeyOnlyQuery = Query({});

/** Standard error responses to document on a route. */
export function errors(...statuses: number[]): Record<number, typeof ErrorResponse> {
  return Object.fromEntries(statuses.map((status) => [status, ErrorResponse]));
}

type SecurityRequirement = Record<string, string[]>[];

export const Security: Record<'admin' | 'key' | 'user' | 'operator' | 'serverJwt' | 'server', SecurityRequirement> = {
  admin: [{ adminToken: [] }, { apiKey: [] }],
  key: [{ apiKey: [] }, { apiKeyQuery: [] }],
  user: [
    { apiKey: [], userToken: [] },
    { apiKeyQuery: [], userToken: [] },
  ],
  operator: [{ operatorToken: [] }],
  serverJwt: [{ serverJwt: [] }],
  server: [{ serverJwt: [] }, { apiKey: [] }, { apiKeyQuery: [] }],
};

export const SECURITY_SCHEMES = {
  adminToken: { type: 'http', scheme: 'bearer', description: 'QUEUEBELL_ADMIN_TOKEN' },
  apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
  apiKeyQuery: { type: 'apiKey', in: 'query', name: 'key' },
  kioskKey: { type: 'apiKey', in: 'header', name: 'x-kiosk-key', description: 'A kiosk key (qbk_…), bound to one place' },
  userToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'jwtToken from POST /v2/users' },
  serverJwt: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      "RS256 JWT signed with a service account key file's private_key: iat, exp (at most 1 h later), iss and email = client_email, sub, aud; kid = private_key_id (optional)",
  },
  operatorToken: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'token from POST /v2/operator/endpoint/{endpointId}/login or POST /v2/operator/preLogin',
  },
};
