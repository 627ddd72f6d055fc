/**
 * `queuebell start`, `queue-service`, `push-server`, `migrate`: running the services. `start` runs
 * both (workers included) and, with --demo, the fake push providers and the demo data.
 */
import { Option, type Command } from 'commander';
import { loadConfig, ensureDataSecret, redactedConfig, withDemoDefaults, type Config } from '../platform/config.js';
import { createLogger } from '../platform/logger.js';
import type { ServiceRole } from '../platform/service.js';
import { startQueueService } from '../queue-service/main.js';
import { migrateQueueDatabase, openQueueDatabase } from '../queue-service/db/connect.js';
import { startPushServer, startPushServerInThread } from '../push-server/main.js';
import { migratePushDatabase, openPushDatabase } from '../push-server/db/connect.js';
import { startFakePushProviders } from '../fakes/push-providers.js';
import { ensureDemo } from '../demo/seed.js';
import { printDemoBanner } from '../demo/banner.js';
import { publishDemoPages } from '../demo/pages-config.js';
import { startWebPushWindow, type WebPushWindow } from '../demo/webpush-window.js';
import { describeFailure } from './errors.js';
import { systemClock } from '../platform/clock.js';
import { purgeExpiredPersonalData } from '../queue-service/privacy/erase.js';
import { purgePushHistory } from '../push-server/push/retention.js';

type RuntimeConfig = Config & { adminToken: string; masterKey: string };

/** The configuration with an admin token and a master key, generated into the data dir the first time. */
function runtimeConfig(env: NodeJS.ProcessEnv = process.env): RuntimeConfig {
  const config = loadConfig(env);
  const adminToken = config.adminToken ?? ensureDataSecret(config.dataDir, 'admin-token', 'qbadm_');
  const masterKey = config.masterKey ?? ensureDataSecret(config.dataDir, 'master-key');
  if (typeof adminToken !== 'string' && adminToken.generated) {
    console.log(`\nGenerated the admin token (shown once; kept in ${config.dataDir}/admin-token):\n  ${adminToken.value}\n`);
  }
  return {
    ...config,
    adminToken: typeof adminToken === 'string' ? adminToken : adminToken.value,
    masterKey: typeof masterKey === 'string' ? masterKey : masterKey.value,
  };
}

const roleOption = () =>
  new Option('--role <role>', 'api (HTTP only), worker (background work only) or all').choices(['api', 'worker', 'all']).default('all');

/** Stops everything on SIGINT/SIGTERM, in order, and exits. */
function closeOnSignal(close: () => Promise<void>): void {
  let closing = false;
  const stop = (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`\n${signal}: finishing in-flight work…`);
    void close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(describeFailure(error));
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/** Bound to every interface with no public URL, a printed link would read http://0.0.0.0:…, which no phone can open. */
function warnOfUnreachableLinks(config: Config): void {
  if (!['0.0.0.0', '::'].includes(config.host)) return;
  const missing = [config.queuePublicUrl ? null : 'QUEUEBELL_PUBLIC_URL', config.pushPublicUrl ? null : 'QUEUEBELL_PUSH_PUBLIC_URL'].filter(
    Boolean,
  );
  if (missing.length > 0) {
    console.warn(
      `QUEUEBELL_HOST=${config.host}: set ${missing.join(' and ')} to the address phones and other hosts reach (see docs/operations.md).`,
    );
  }
}

export function registerServiceCommands(program: Command): void {
  program
    .command('start')
    .description('Run the queue service and the push server, workers included.')
    .option('--demo', 'also run the fake push providers and create the demo data (what npm start does)')
    .action(async (options: { demo?: boolean }) => {
      const config = runtimeConfig(options.demo ? withDemoDefaults(process.env) : process.env);
      const useDemo = config.demo;
      createLogger('queuebell', config.logLevel).debug({ config: redactedConfig(config) }, 'configuration');
      // The ticket page follows its pushes at the fake Web Push service through this window (no internet needed).
      let webPushWindow: WebPushWindow | null = null;
      const fakes = useDemo
        ? await startFakePushProviders({
            apns: { keep: false },
            fcm: { keep: false },
            webpush: { keep: false, onDelivery: (delivery) => webPushWindow?.record(delivery) },
          })
        : null;
      if (fakes) webPushWindow = await startWebPushWindow(fakes.webpush, config.host);
      // Default mode: the push server in a thread of its own, so the main thread is the queue service's API (docs/design.md §Workers).
      const push = config.workerThreads
        ? await startPushServerInThread({ config })
        : await startPushServer({ config, role: 'all', threads: false });
      const queue = await startQueueService({ config, role: 'all', threads: config.workerThreads });
      closeOnSignal(async () => {
        await queue.close();
        await push.close();
        await webPushWindow?.close();
        await fakes?.close();
      });
      // Links people follow: the public URLs when set (a proxy, another interface), else where each service listens.
      const queueUrl = config.queuePublicUrl ?? queue.url!;
      const pushUrl = config.pushPublicUrl ?? push.url!;
      warnOfUnreachableLinks(config);
      if (fakes) {
        const info = await ensureDemo({
          queueUrl: queue.url!,
          pushUrl: push.url!,
          adminToken: config.adminToken,
          dataDir: config.dataDir,
          fakes,
        });
        await publishDemoPages(
          { queueUrl: queue.url!, adminToken: config.adminToken, pushUrl, webPushWindowUrl: webPushWindow?.url ?? null },
          info,
        );
        printDemoBanner({ queueUrl, pushUrl, info, fakes, dataDir: config.dataDir });
      } else {
        console.log(`queue service: ${queueUrl}\npush server:   ${pushUrl}`);
      }
    });

  program
    .command('queue-service')
    .description('Run only the queue service (booking, validation, display, admin APIs and its dispatcher).')
    .addOption(roleOption())
    .action(async (options: { role: ServiceRole }) => {
      const config = runtimeConfig();
      const service = await startQueueService({ config, role: options.role, threads: config.workerThreads });
      closeOnSignal(() => service.close());
      console.log(
        `queue service (${options.role}): ${service.url ? (config.queuePublicUrl ?? service.url) : `health, readiness and metrics at ${service.healthUrl}`}`,
      );
    });

  program
    .command('push-server')
    .description('Run only the push server (registration, ingest and its push worker).')
    .addOption(roleOption())
    .action(async (options: { role: ServiceRole }) => {
      const config = runtimeConfig();
      const service = await startPushServer({ config, role: options.role, threads: config.workerThreads });
      closeOnSignal(() => service.close());
      console.log(
        `push server (${options.role}): ${service.url ? (config.pushPublicUrl ?? service.url) : `health, readiness and metrics at ${service.healthUrl}`}`,
      );
    });

  program
    .command('migrate')
    .description('Apply pending database migrations of both services, then exit (start does this too).')
    .action(async () => {
      const config = loadConfig();
      const queue = openQueueDatabase(config.databaseUrl);
      const push = openPushDatabase(config.pushDatabaseUrl);
      const report = (applied: string[]) => (applied.length > 0 ? `applied ${applied.join(', ')}` : 'already up to date, nothing applied');
      try {
        console.log(`queue service (${queue.location}): ${report(await migrateQueueDatabase(queue))}`);
        console.log(`push server (${push.location}): ${report(await migratePushDatabase(push))}`);
      } finally {
        await queue.close();
        await push.close();
      }
    });

  program
    .command('purge')
    .description(
      "Erase now the personal data each company's retention says is due (ended tickets, finished messages; default 30 days), and the push server's history past QUEUEBELL_PUSH_RETENTION_DAYS (default 7). The workers do it hourly too.",
    )
    .action(async () => {
      const config = loadConfig();
      const queue = openQueueDatabase(config.databaseUrl);
      const push = openPushDatabase(config.pushDatabaseUrl);
      try {
        await migrateQueueDatabase(queue);
        const erased = await purgeExpiredPersonalData({ database: queue, clock: systemClock });
        console.log(
          `queue service (${queue.location}): erased the personal data of ${erased.tickets} tickets and ${erased.messages} messages`,
        );
        await migratePushDatabase(push);
        const purged = await purgePushHistory({ db: push.db, clock: systemClock, retentionDays: config.pushRetentionDays });
        console.log(
          `push server (${push.location}): deleted ${purged.messages} messages, ${purged.pushes} pushes and ${purged.receipts} receipts older than ${config.pushRetentionDays} days`,
        );
      } finally {
        await queue.close();
        await push.close();
      }
    });
}
