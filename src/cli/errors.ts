/**
 * How the `queuebell` command reports a failure: one line saying what went wrong and what to try,
 * exit code 1, no stack trace (QUEUEBELL_DEBUG=1 prints it). The causes an operator meets — the
 * configuration, a server refusing a request, a service not running, a busy port — each get words.
 */
import { AdminApiError } from '../clients/admin-client.js';
import { ConfigError } from '../platform/config.js';
import { PortTakenError } from '../platform/http/listen.js';
import { MasterKeyMismatchError } from '../platform/master-key-check.js';

/** A failure the command can explain; `hint` says what to try next. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

interface SystemError extends Error {
  code?: string;
  address?: string;
  port?: number;
  cause?: unknown;
}

/** The one line printed for a failure, hint included. */
export function describeFailure(error: unknown): string {
  const line = (message: string, hint?: string) => `queuebell: ${message}${hint ? ` (${hint})` : ''}`;
  if (error instanceof CliError) return line(error.message, error.hint);
  if (error instanceof PortTakenError) return line(error.message, error.hint);
  if (error instanceof AdminApiError) return line(error.message, hintForApiError(error));
  if (error instanceof MasterKeyMismatchError) return line(error.message);
  if (error instanceof ConfigError)
    return line(`invalid configuration: ${error.problems.join('; ')}`, 'see docs/operations.md for every setting');
  const system = systemErrorOf(error);
  if (system?.code === 'EADDRINUSE') {
    return line(
      `port ${system.port ?? ''} on ${system.address ?? 'this host'} is already in use`,
      'stop what listens there, or choose other ports with QUEUEBELL_QUEUE_PORT and QUEUEBELL_PUSH_PORT',
    );
  }
  if (system?.code === 'ECONNREFUSED') {
    const where = system.address ? `${system.address}:${system.port ?? ''}` : 'the server';
    return line(
      `cannot connect to ${where}: connection refused`,
      system.port === 5432
        ? 'is PostgreSQL running? check QUEUEBELL_DATABASE_URL and QUEUEBELL_PUSH_DATABASE_URL'
        : 'is the service running there?',
    );
  }
  if (system?.code === 'EACCES' && system.port !== undefined)
    return line(`not allowed to listen on port ${system.port}`, 'ports below 1024 need privileges; choose a higher port');
  if (system?.code === 'EACCES' || system?.code === 'EPERM') return line(system.message, 'check the permissions of QUEUEBELL_DATA_DIR');
  const message = error instanceof Error ? error.message : String(error);
  return line(message.split('\n')[0]!, 'QUEUEBELL_DEBUG=1 prints the stack trace');
}

function hintForApiError(error: AdminApiError): string | undefined {
  if (error.status === 0) return 'is queuebell running there? pass --url, or set QUEUEBELL_HOST and the port';
  if (error.code === null) return 'is --url the queuebell service?';
  if (error.code === 'VALIDATION_FAILED' || error.code === 'MISSING_FIELD' || error.code === 'MALFORMED_JSON')
    return 'check the options: add --help to the command';
  if (error.code === 'UNAUTHENTICATED' || error.code === 'FORBIDDEN')
    return 'check --token: the admin token is in the data dir or QUEUEBELL_ADMIN_TOKEN';
  return undefined;
}

/** Node's own errors (and fetch's, which wraps them in `cause`) carry a code such as ECONNREFUSED. */
function systemErrorOf(error: unknown): SystemError | null {
  for (let current = error, depth = 0; current instanceof Error && depth < 4; current = (current as SystemError).cause, depth++) {
    if (typeof (current as SystemError).code === 'string' && /^E[A-Z]+$/.test((current as SystemError).code!))
      return current as SystemError;
    // AggregateError: a connection to "localhost" tried on ::1 and 127.0.0.1 failed on both.
    if (current instanceof AggregateError && current.errors[0] instanceof Error) return systemErrorOf(current.errors[0]);
  }
  return null;
}
