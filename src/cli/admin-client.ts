/**
 * The CLI's way into a running service: the admin HTTP API with the admin token, exactly as an
 * operator's script would call it. Errors come back as the API's own message.
 */
import type { Command } from 'commander';
import { loadConfig } from '../platform/config.js';

export interface AdminClient {
  call<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
}

export interface AdminTarget { url: string; token: string }

export function adminClient(target: AdminTarget): AdminClient {
  return {
    async call<T>(method: string, path: string, body?: unknown): Promise<T> {
      const response = await fetch(target.url.replace(/\/$/, '') + path, {
        method,
        headers: { authorization: `Bearer ${target.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      const parsed = text ? (JSON.parse(text) as unknown) : null;
      if (!response.ok) {
        const error = (parsed as { error?: { code: string; message: string } } | null)?.error;
        throw new CliError(error ? `${error.code}: ${error.message}` : `HTTP ${response.status}`);
      }
      return parsed as T;
    },
  };
}

export class CliError extends Error {}

/** Adds --url and --token to a command; their defaults come from the same settings the services read. */
export function withAdminTarget(command: Command, service: 'queue' | 'push'): Command {
  return command
    .option('--url <url>', `base URL of the ${service === 'queue' ? 'queue service' : 'push server'} (default: from QUEUEBELL_${service === 'queue' ? 'QUEUE' : 'PUSH'}_PORT)`)
    .option('--token <token>', 'admin token (default: QUEUEBELL_ADMIN_TOKEN or the one in the data dir)');
}

export function resolveAdminTarget(options: { url?: string; token?: string }, service: 'queue' | 'push'): AdminTarget {
  const config = loadConfig();
  const token = options.token ?? config.adminToken;
  if (!token) throw new CliError('No admin token: pass --token, set QUEUEBELL_ADMIN_TOKEN, or start queuebell once to generate one.');
  const port = service === 'queue' ? config.queuePort : config.pushPort;
  return { url: options.url ?? `http://${config.host}:${port}`, token };
}

/** Prints a result as indented JSON, the CLI's one output format (pipe it to jq). */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
