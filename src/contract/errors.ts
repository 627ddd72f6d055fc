/**
 * The one error registry (docs/design.md §Errors): every code with its HTTP status and default message,
 * defined once and thrown by name. Both services answer `{"error": {"code", "message"}}`.
 */

const REGISTRY = {
  // request shape and auth (both services)
  VALIDATION_FAILED: [400, 'The request is not valid.'],
  MALFORMED_JSON: [400, 'The request body is not valid JSON.'],
  MISSING_FIELD: [400, 'A required field is missing.'],
  UNAUTHENTICATED: [401, 'Credentials are missing or not valid.'],
  FORBIDDEN: [403, 'These credentials may not do this.'],
  NOT_FOUND: [404, 'Nothing here.'],
  ROUTE_NOT_FOUND: [404, 'No such route.'],
  PAYLOAD_TOO_LARGE: [413, 'The request body is too large.'],
  UNSUPPORTED_MEDIA_TYPE: [415, 'The request body must be JSON.'],
  HEADERS_TOO_LARGE: [431, 'The request line and headers are too large.'],
  RATE_LIMITED: [429, 'Too many requests; retry later.'],
  CONFLICT: [409, 'The request conflicts with the current state.'],
  INTERNAL: [500, 'Something went wrong on our side.'],
  NOT_READY: [503, 'The service is not ready.'],
  STORAGE_UNAVAILABLE: [503, 'The database is unavailable for a moment; retry later.'],
  SHUTTING_DOWN: [503, 'The service is shutting down; retry on another instance or in a moment.'],

  // queue service
  COMPANY_NOT_FOUND: [404, 'No company with this id.'],
  PLACE_NOT_FOUND: [404, 'No place with this id.'],
  KIOSK_NOT_FOUND: [404, 'No kiosk with this id.'],
  QUEUE_NOT_FOUND: [404, 'No queue with this id.'],
  ENDPOINT_NOT_FOUND: [404, 'No counter with this id.'],
  OPERATOR_NOT_FOUND: [404, 'No operator with this id.'],
  TICKET_NOT_FOUND: [404, 'No ticket with this id.'],
  KEY_NOT_FOUND: [404, 'No API key with this id.'],
  SERVICE_ACCOUNT_NOT_FOUND: [404, 'No service account with this id.'],
  USER_NOT_FOUND: [404, 'No user with this id.'],
  SESSION_NOT_FOUND: [404, 'No session with this id for this user.'],
  INVALID_SERVER_JWT: [401, 'The server JWT is not valid.'],
  WEBHOOK_NOT_FOUND: [404, 'No webhook destination with this id.'],
  MESSAGE_NOT_FOUND: [404, 'No message with this id.'],
  APPOINTMENT_TYPE_NOT_FOUND: [404, 'No appointment type with this id.'],
  SUBPLACE_NOT_FOUND: [404, 'No subplace with this id.'],
  CATEGORY_NOT_FOUND: [404, 'No category with this id.'],
  PLACE_GROUPED_OTHERWISE: [409, 'A place has subplaces or categories, never both.'],
  LOGIN_ID_TAKEN: [409, 'An operator with this login id already exists.'],
  INVALID_TRANSITION: [409, 'The ticket cannot move to this state from its current one.'],
  ROLE_FORBIDS: [403, "The operator's role does not allow this change."],
  ENDPOINT_CLOSED: [409, 'The counter is closed; open it first.'],
  ENDPOINT_NOT_SERVING_QUEUE: [409, 'The counter does not serve the queue of this ticket.'],
  NO_TICKET_WAITING: [404, 'No ticket is waiting for this counter.'],
  BOOKING_CLOSED: [409, 'The queue does not take bookings now.'],
  QUEUE_FULL: [409, 'The queue is full.'],
  TOO_MANY_OPEN_TICKETS: [409, 'You already hold an open ticket in this queue; cancel it or wait until it is served.'],
  CONTACT_NOT_VERIFIED: [403, 'This queue sends SMS and e-mail only to a phone number or address verified with a one-time code.'],
  SMS_COUNTRY_NOT_ALLOWED: [400, 'SMS cannot be sent to this country.'],
  GROUP_SIZE_OUT_OF_RANGE: [400, 'The group size is outside what the queue allows.'],
  SLOT_UNAVAILABLE: [409, 'This time slot is not available.'],
  INVALID_CREDENTIALS: [401, 'Login id or password is wrong.'],
  TICKET_NOT_RATEABLE: [409, 'Only a finished ticket can be rated.'],
  ALREADY_RATED: [409, 'This ticket was already rated.'],
  NOT_AN_APPOINTMENT: [409, 'Only an appointment can be postponed.'],
  ENDPOINT_BUSY: [
    409,
    'This counter already has a called ticket; say what becomes of it (previousTicket: done, no_show, on_hold or keep).',
  ],
  TRANSFER_NOT_ALLOWED: [409, 'This ticket cannot be transferred there.'],
  PRIORITY_NOT_ALLOWED: [409, 'This queue does not take priority tickets.'],
  TICKET_NOT_WAITING: [409, 'The ticket is no longer waiting.'],
  UNSAFE_URL: [400, 'The URL is not allowed.'],
  MESSAGE_NOT_ENDED: [409, 'The message is still on its way; only a delivered, failed, expired or superseded message can be replayed.'],
  MESSAGE_NOT_LATEST: [
    409,
    'A newer message of this ticket went to the same place; replaying this one would show an older state. Replay the newest one instead.',
  ],
  WEBHOOK_DISABLED: [409, 'The webhook destination is disabled or was deleted; enable it before replaying its messages.'],

  // push server
  APP_NOT_FOUND: [404, 'No app with this id.'],
  SOURCE_NOT_FOUND: [404, 'No source with this id.'],
  DEVICE_NOT_FOUND: [404, 'No device with this id.'],
  INVALID_SIGNATURE: [401, 'The webhook signature does not match.'],
  SMS_NOT_CONFIGURED: [404, 'Texts are not configured here (QUEUEBELL_SMS_ACCOUNT_SID, QUEUEBELL_SMS_AUTH_TOKEN, QUEUEBELL_SMS_FROM).'],
  STALE_TIMESTAMP: [401, 'The webhook timestamp is outside the accepted window.'],
  UNKNOWN_ACTION: [400, 'The message action is not one queuebell knows.'],
  TOO_MANY_DEVICES: [409, 'This pushId has as many devices as allowed; remove one first.'],
  PUSH_ID_TAKEN: [409, 'This pushId belongs to another app; pushIds are unique across the push server.'],
  INVALID_PROVIDER_CREDENTIALS: [400, 'The provider credentials are not usable.'],
  INVALID_DEVICE: [400, 'The device token or subscription is not valid.'],
  PUSH_ID_SECRET_MISMATCH: [401, 'The pushId and its secret do not match.'],
  INVALID_APP_KEY: [401, 'The app key is missing or is not the key of this app.'],
  INVALID_SERVER_KEY: [401, 'The server key is missing or is not the server key of this app.'],
  MISSING_WEBHOOK_HEADERS: [401, 'The webhook-id, webhook-timestamp and webhook-signature headers (or a source token) are required.'],
  INVALID_DELIVER_BY: [400, 'The x-queuebell-deliver-by header is not an RFC 3339 date-time.'],
  INVALID_TTL: [400, 'The x-queuebell-ttl-ms header is not a whole number of milliseconds.'],
  DEADLINE_TOO_FAR: [400, 'The deadline (x-queuebell-deliver-by or x-queuebell-ttl-ms) is more than 24 hours ahead.'],
} as const satisfies Record<string, readonly [number, string]>;

export type ErrorCode = keyof typeof REGISTRY;

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;
  readonly details: unknown;
  /** Extra response headers, such as Retry-After on a 429. */
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, message?: string, details?: unknown, headers: Record<string, string> = {}) {
    const [statusCode, defaultMessage] = REGISTRY[code];
    super(message ?? defaultMessage);
    this.name = 'AppError';
    this.code = code;
    this.statusCode = statusCode;
    this.details = details;
    this.headers = headers;
  }

  toBody(): ErrorBody {
    const error: ErrorBody['error'] = { code: this.code, message: this.message };
    if (this.details !== undefined) error.details = this.details;
    return { error };
  }
}

/** Throws the named error: `fail('TICKET_NOT_FOUND')`. */
export function fail(code: ErrorCode, message?: string, details?: unknown): never {
  throw new AppError(code, message, details);
}

/** Every code with its status and default message, in registry order (docs/errors.md lists them). */
export function errorCatalog(): { code: ErrorCode; status: number; message: string }[] {
  return (Object.entries(REGISTRY) as [ErrorCode, readonly [number, string]][]).map(([code, [status, message]]) => ({
    code,
    status,
    message,
  }));
}
