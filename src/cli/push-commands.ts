import type { Command } from 'commander';

/** `queuebell push …`: the push server's admin commands (apps, sources). */
export function registerPushCommands(program: Command): void {
  program.command('push').description('Manage the push server (apps, sources).');
}
