import type { Command } from 'commander';

/** `start`, `queue-service`, `push-server`, `migrate`. */
export function registerServiceCommands(_program: Command): void {}
