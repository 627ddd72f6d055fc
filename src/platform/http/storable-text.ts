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
export function unstorableField(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? path : null;
  if (typeof value !== 'object' || value === null) return null;
  if (depth > MAX_DEPTH) return path;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const found = unstorableField(value[index], `${path}.${index}`, depth + 1);
      if (found) return found;
    }
    return null;
  }
  if (Buffer.isBuffer(value)) return null;
  for (const [key, item] of Object.entries(value)) {
    if (UNSTORABLE.test(key)) return `${path}.${key.replace(UNSTORABLE, '?')}`;
    const found = unstorableField(item, `${path}.${key}`, depth + 1);
    if (found) return found;
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
  app.addHook('preValidation', async (request) => refuseUnstorable(request));
}
