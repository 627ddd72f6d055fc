/**
 * Every string a request carries is checked once, before validation: a NUL character or a lone
 * UTF-16 surrogate is refused with 400 VALIDATION_FAILED naming the field (docs/design.md §Errors).
 * PostgreSQL's UTF-8 text cannot hold either, so without this check such a string reached the
 * database and came back as a 500; SQLite would store it and hand it to the other engine's export.
 * Object keys count too: a JSON body's keys end up in JSON text columns.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../contract/errors.js';

/** NUL, a high surrogate not followed by a low one, or a low surrogate not preceded by a high one. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what this refuses.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Deep enough for any body our schemas accept; deeper input is refused rather than walked. */
const MAX_DEPTH = 32;

/** The dotted path of the first string (or key) that cannot be stored, or null when all can. */
export function unstorableField(value: unknown, path: string): string | null {
  const trail = unstorableTrail(value, 0);
  return trail === null ? null : [path, ...trail.reverse()].join('.');
}

/**
 * Where the first unstorable string is, innermost step first, or null: the path is built only for
 * the string refused, not for every field walked (every request walks its headers and body).
 */
function unstorableTrail(value: unknown, depth: number): string[] | null {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? [] : null;
  if (typeof value !== 'object' || value === null) return null;
  if (depth > MAX_DEPTH) return [];
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const found = unstorableTrail(value[index], depth + 1);
      if (found) return [...found, String(index)];
    }
    return null;
  }
  if (Buffer.isBuffer(value)) return null;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (UNSTORABLE.test(key)) return [key.replace(UNSTORABLE, '?')];
    const found = unstorableTrail((value as Record<string, unknown>)[key], depth + 1);
    if (found) return [...found, key];
  }
  return null;
}

/** Throws 400 VALIDATION_FAILED naming the first string under `path` that cannot be stored. */
export function assertStorable(value: unknown, path: string): void {
  const field = unstorableField(value, path);
  if (field !== null) refuse(field);
}

function refuseUnstorable(request: FastifyRequest): void {
  const field =
    unstorableField(request.params, 'params') ??
    unstorableField(request.query, 'query') ??
    unstorableField(request.headers, 'headers') ??
    unstorableField(request.body, 'body');
  if (field !== null) refuse(field);
}

function refuse(field: string): never {
  throw new AppError('VALIDATION_FAILED', `Invalid field ${field}: contains a NUL character or an unpaired surrogate.`, [
    { field, problem: 'contains a NUL character or an unpaired surrogate' },
  ]);
}

/** preValidation runs after the body is parsed and before the schema looks at it. */
export function installStorableTextCheck(app: FastifyInstance): void {
  // Callback style: an async hook costs every request a promise and a turn of the microtask queue.
  app.addHook('preValidation', (request, _reply, done) => {
    try {
      refuseUnstorable(request);
    } catch (error) {
      done(error as Error);
      return;
    }
    done();
  });
}
