import type { Command } from 'commander';

/** Admin commands of the queue service: companies, keys, places, queues, counters, operators, webhooks, messages. */
export function registerQueueAdminCommands(_program: Command): void {}
