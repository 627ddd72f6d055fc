/**
 * Which service the CLI talks to and how it prints: --url and --token, their defaults from the
 * settings the services read, and JSON output.
 */
import { Option, type Command } from 'commander';
import type { AdminTarget } from '../clients/admin-client.js';
import { loadConfig } from '../platform/config.js';
import { CliError } from './errors.js';

/**
 * Adds --url and --token to a command; their defaults come from the same settings the services read.
 * `--admin-token`, the push commands' old name for --token, is still read but hidden (docs/operations.md, "Upgrades and migrations").
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
