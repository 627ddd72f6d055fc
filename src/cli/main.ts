/**
 * The `queuebell` command. Each group of commands lives in its own module and
 * registers itself here.
 */
import { Command } from 'commander';
import { registerServiceCommands } from './service-commands.js';
import { registerQueueAdminCommands } from './queue-admin-commands.js';
import { registerPushCommands } from './push-commands.js';
import { registerDeliveryCommands } from './delivery-commands.js';

const program = new Command('queuebell')
  .description('Virtual-queue notifications: the queue service, the push server and their tools.')
  .showHelpAfterError();

registerServiceCommands(program);
registerQueueAdminCommands(program);
registerDeliveryCommands(program);
registerPushCommands(program);

await program.parseAsync(process.argv);
