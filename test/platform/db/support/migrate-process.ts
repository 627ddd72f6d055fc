/**
 * One migrator in its own process, as a second `queuebell start` or `queuebell migrate` would be:
 * migrates the queue service's schema into the database argv[2], the push server's into argv[3],
 * and prints what it applied as JSON. argv[4] is the instant all migrators start at, so they
 * really run together rather than one after another as each finishes loading.
 */
import { migrateQueueDatabase, openQueueDatabase } from '../../../../src/queue-service/db/connect.js';
import { migratePushDatabase, openPushDatabase } from '../../../../src/push-server/db/connect.js';

const queue = openQueueDatabase(process.argv[2]!);
const push = openPushDatabase(process.argv[3]!);
await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(process.argv[4]) - Date.now())));
try {
  const applied = { queue: await migrateQueueDatabase(queue), push: await migratePushDatabase(push) };
  process.stdout.write(JSON.stringify(applied));
} finally {
  await queue.close();
  await push.close();
}
