/**
 * The one error handler of both services (docs/design.md §Errors): every failure leaves as
 * `{"error": {"code", "message"}}` with the right status. Known errors keep their code; Fastify's
 * own request errors are translated; a database outage is a 503 STORAGE_UNAVAILABLE with
 * Retry-After (docs/design.md §Faults); anything else unexpected is logged in full and answered as
 * an opaque 500, never with a stack trace.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorCode } from '../../contract/errors.js';
import { storageFaultOf } from '../db/faults.js';
import { OutageLog } from './outage-log.js';

/** How long a client waits before retrying a request the database could not serve. */
const STORAGE_RETRY_AFTER_SECONDS = 5;

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION_FAILED',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_BODY_NOT_JSON: 'MALFORMED_JSON',
  FST_ERR_VALIDATION: 'VALIDATION_FAILED',
  FST_ERR_CTP_INVALID_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
};

/**
 * A body left out (or sent empty) where the route needs fields: name the fields it needs rather
 * than "body must be object" (Lineberty's clients send PUT bodies empty; docs/lineberty.md §Requests).
 */
function missingBodyError(error: FastifyError, request: FastifyRequest): AppError | null {
  const first = error.validation?.[0];
  if (request.body != null || error.validationContext !== 'body' || first?.instancePath !== '' || first.keyword !== 'type') return null;
  const required = (request.routeOptions.schema?.body as { required?: unknown } | undefined)?.required;
  if (!Array.isArray(required) || required.length === 0) return null;
  const fields = required.map((name) => `body.${String(name)}`);
  return new AppError(
    'VALIDATION_FAILED',
    `Missing field${fields.length > 1 ? 's' : ''}: ${fields.join(', ')}.`,
    fields.map((field) => ({ field, problem: 'required' })),
  );
}

function toAppError(error: FastifyError | Error, request: FastifyRequest): AppError | null {
  if (error instanceof AppError) return error;
  const missing = missingBodyError(error as FastifyError, request);
  if (missing) return missing;
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    return new AppError(
      'VALIDATION_FAILED',
      describeValidation(fastifyError),
      fastifyError.validation.map((v) => ({
        field: fieldOf(fastifyError.validationContext, v.instancePath, v.params as Record<string, unknown>),
        problem: v.message,
      })),
    );
  }
  const mapped = fastifyError.code ? FASTIFY_CODES[fastifyError.code] : undefined;
  if (mapped) return new AppError(mapped, mapped === 'MALFORMED_JSON' ? 'The request body is not valid JSON.' : undefined);
  if (error instanceof SyntaxError && fastifyError.statusCode === 400) return new AppError('MALFORMED_JSON');
  const status = fastifyError.statusCode;
  if (status && status >= 400 && status < 500) {
    if (status === 404) return new AppError('NOT_FOUND');
    if (status === 413) return new AppError('PAYLOAD_TOO_LARGE');
    if (status === 415) return new AppError('UNSUPPORTED_MEDIA_TYPE');
    // Fastify's messages may quote the request (a URL, a header): answer with ours only.
    return new AppError('VALIDATION_FAILED');
  }
  return null;
}

/**
 * Fastify's `frameworkErrors`: a URL that does not decode (FST_ERR_BAD_URL) or a path parameter
 * over the router's maxParamLength (FST_ERR_MAX_PARAM_LENGTH) is refused before routing; both
 * leave in the one error shape, without quoting the URL.
 */
export function answerFrameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const answer =
    error.code === 'FST_ERR_BAD_URL'
      ? new AppError('VALIDATION_FAILED', 'The URL is not validly percent-encoded.')
      : error.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? new AppError('VALIDATION_FAILED', 'A path segment is too long.')
        : new AppError('VALIDATION_FAILED');
  void reply.code(answer.statusCode).send(answer.toBody());
}

function fieldOf(context: string | undefined, instancePath: string, params: Record<string, unknown>): string {
  const path = instancePath.replace(/^\//, '').replaceAll('/', '.');
  const missing = typeof params.missingProperty === 'string' ? params.missingProperty : null;
  const extra = typeof params.additionalProperty === 'string' ? params.additionalProperty : null;
  const leaf = missing ?? extra;
  return [context ?? 'body', path, leaf].filter(Boolean).join('.');
}

function describeValidation(error: FastifyError): string {
  const first = error.validation?.[0];
  if (!first) return 'The request is not valid.';
  const field = fieldOf(error.validationContext, first.instancePath, first.params as Record<string, unknown>);
  if (first.keyword === 'required') return `Missing field: ${field}.`;
  if (first.keyword === 'additionalProperties') return `Unknown field: ${field}.`;
  return `Invalid field ${field}: ${first.message ?? 'not valid'}.`;
}

export function installErrorHandling(app: FastifyInstance): void {
  const outages = new OutageLog(app.log);
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const known = toAppError(error, request);
    if (known) {
      // A 503 (not ready, shutting down) is a state, not a bug: one line without a stack.
      if (known.statusCode === 503) request.log.warn({ code: known.code, reason: known.message }, 'request answered 503');
      else if (known.statusCode >= 500) request.log.error({ err: error }, 'request failed');
      void reply.code(known.statusCode).headers(known.headers).send(known.toBody());
      return;
    }
    const fault = storageFaultOf(error);
    if (fault) {
      outages.record(fault, `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}`);
      const unavailable = new AppError('STORAGE_UNAVAILABLE', undefined, undefined, { 'retry-after': String(STORAGE_RETRY_AFTER_SECONDS) });
      void reply.code(unavailable.statusCode).headers(unavailable.headers).send(unavailable.toBody());
      return;
    }
    request.log.error({ err: error }, 'unexpected error');
    void reply.code(500).send(new AppError('INTERNAL').toBody());
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send(new AppError('ROUTE_NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}.`).toBody());
  });
}
