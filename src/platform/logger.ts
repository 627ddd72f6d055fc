import pino, { type DestinationStream, type Logger } from 'pino';
import { storageFaultOf } from './db/faults.js';

/**
 * JSON logs with credentials removed: API keys travel in `?key=` and `x-api-key`, tokens in
 * `authorization`, and none of them may reach a log line.
 */
/** `destination`: stdout unless a test gives a stream. */
export function createLogger(name: string, level = 'info', destination?: DestinationStream): Logger {
  return pino(
    {
      name,
      level,
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers["x-api-key"]',
          'req.headers["x-app-key"]',
          'req.headers.cookie',
          '*.password',
          '*.secret',
          '*.token',
          '*.authToken',
        ],
        censor: '***',
      },
      serializers: {
        err: serializeError,
        req: (req: { method: string; url: string; ip?: string; headers?: Record<string, unknown> }) => ({
          method: req.method,
          url: redactQuery(req.url),
          // The client as QUEUEBELL_TRUST_PROXY makes it (a trusted proxy's X-Forwarded-For).
          remoteAddress: req.ip,
        }),
      },
    },
    destination,
  );
}

function redactQuery(url: string): string {
  return url.replace(/([?&](?:key|token|secret)=)[^&]*/gi, '$1***');
}

/**
 * A database outage met by a worker loop or a request is one short line (which database, which
 * code, what the engine said), not a stack per retry: the stack says nothing about a server that
 * went away (docs/design.md §Faults). Other errors keep pino's full form.
 */
function serializeError(error: unknown): unknown {
  const fault = storageFaultOf(error);
  if (!fault) return pino.stdSerializers.err(error as Error);
  return {
    type: (error as Error).name,
    storageFault: true,
    code: fault.code,
    message: fault.reason,
    database: fault.database ?? undefined,
  };
}
