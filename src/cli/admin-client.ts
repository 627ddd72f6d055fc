/**
 * The CLI's way into a running service: the admin HTTP API with the admin token, exactly as an
 * operator's script would call it. Errors come back as the API's own message.
 */
import { Option, type Command } from 'commander';
import { loadConfig } from '../platform/config.js';
import { CliError } from './errors.js';

export { CliError } from './errors.js';

export interface AdminClient {
  call<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
}

export interface AdminTarget {
  url: string;
  token: string;
}

export function adminClient(target: AdminTarget): AdminClient {
  return {
    async call<T>(method: string, path: string, body?: unknown): Promise<T> {
      const base = target.url.replace(/\/+$/, '');
      let response: Response;
      try {
        response = await fetch(base + path, {
          method,
          headers: { authorization: `Bearer ${target.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      } catch (error) {
        throw new CliError(
          `cannot reach ${base}: ${reasonOf(error)}`,
          'is queuebell running there? pass --url, or set QUEUEBELL_HOST and the port',
        );
      }
      const text = await response.text();
      let parsed: unknown = null;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        throw new CliError(
          `${method} ${base}${path} answered ${response.status} with something other than JSON`,
          'is --url the queuebell service?',
        );
      }
      if (!response.ok) {
        const error = (parsed as { error?: { code: string; message: string } } | null)?.error;
        throw new CliError(error ? `${error.code}: ${error.message}` : `HTTP ${response.status}`, hintFor(error?.code));
      }
      return parsed as T;
    },
  };
}

function reasonOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code === 'ECONNREFUSED') return 'connection refused';
  return cause?.message ?? (error as Error).message;
}

function hintFor(code: string | undefined): string | undefined {
  if (code === 'VALIDATION_FAILED' || code === 'MISSING_FIELD' || code === 'MALFORMED_JSON')
    return 'check the options: add --help to the command';
  if (code === 'UNAUTHENTICATED' || code === 'FORBIDDEN')
    return 'check --token: the admin token is in the data dir or QUEUEBELL_ADMIN_TOKEN';
  return undefined;
}

/**
 * Adds --url and --token to a command; their defaults come from the same settings the services read.
 * `--admin-token`, the push commands' old name for --token, is still read but hidden (docs/operations.md §Upgrades).
 */
export function withAdminTarget(command: Command, service: 'queue' | 'push'): Command {
  return command
    .option(
      '--url <url>',
      `base URL of the ${service === 'queue' ? 'queue service' : 'push server'} (default: from QUEUEBELL_HOST and QUEUEBELL_${service === 'queue' ? 'QUEUE' : 'PUSH'}_PORT)`,
    )
    .option('--token <token>', 'admin token (default: QUEUEBELL_ADMIN_TOKEN or the one in the data dir)')
    .addOption(new Option('--admin-token <token>', 'old name of --token').hideHelp());
}

export function resolveAdminTarget(options: { url?: string; token?: string; adminToken?: string }, service: 'queue' | 'push'): AdminTarget {
  if (options.adminToken !== undefined)
    process.stderr.write('queuebell: --admin-token is now called --token; the old name will go away.\n');
  const config = loadConfig();
  const token = options.token ?? options.adminToken ?? config.adminToken;
  if (!token)
    throw new CliError(
      'no admin token',
      'pass --token, set QUEUEBELL_ADMIN_TOKEN, or start queuebell once to generate one in the data dir',
    );
  const port = service === 'queue' ? config.queuePort : config.pushPort;
  return { url: options.url ?? `http://${config.host}:${port}`, token };
}

/** Prints a result as indented JSON, the CLI's one output format (pipe it to jq). */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
