import type { Command } from 'commander';

/** `queuebell webhooks …` and `queuebell messages …`: destinations and the message log. */
export function registerDeliveryCommands(_program: Command): void {}
