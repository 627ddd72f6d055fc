/**
 * The `queuebell` command. Each group of commands lives in its own module and registers itself
 * here. A failure ends as one line with a hint and exit code 1 (errors.ts).
 */
import { Command, Help, type Option } from 'commander';
import { registerServiceCommands } from './service-commands.js';
import { registerQueueAdminCommands } from './queue-admin-commands.js';
import { registerPushCommands } from './push-commands.js';
import { registerDeliveryCommands } from './delivery-commands.js';
import { registerBackupCommand } from './backup-command.js';
import { describeFailure } from './errors.js';

const program = new Command('queuebell')
  .description('Virtual-queue notifications: the queue service, the push server and their tools.')
  .showHelpAfterError()
  // Commander's help does not say which options are required; every command's help here does.
  .configureHelp({
    optionDescription(this: Help, option: Option): string {
      const text = Help.prototype.optionDescription.call(this, option);
      return option.mandatory ? `${text} (required)`.trimStart() : text;
    },
  });

registerServiceCommands(program);
registerBackupCommand(program);
registerQueueAdminCommands(program);
registerDeliveryCommands(program);
registerPushCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  console.error(describeFailure(error));
  if (process.env.QUEUEBELL_DEBUG) console.error(error);
  process.exit(1);
}
