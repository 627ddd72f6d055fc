/**
 * `queuebell push …`: the push server's admin commands (apps, sources, messages), calling its admin
 * HTTP API through the same client as the queue service's admin commands. The URL and admin token
 * default to the configuration (QUEUEBELL_PUSH_PORT, QUEUEBELL_HOST, QUEUEBELL_ADMIN_TOKEN or the
 * data dir), so on the machine that runs it they just work.
 */
import { readFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { adminClient } from '../clients/admin-client.js';
import { resolveAdminTarget, withAdminTarget } from './admin-target.js';

export interface CliOutput {
  out(text: string): void;
}

interface Connection {
  url?: string;
  token?: string;
  adminToken?: string;
}

export function registerPushCommands(program: Command, io: CliOutput = { out: (text) => console.log(text) }): void {
  const push = withAdminTarget(program.command('push').description('Manage the push server (apps, sources, messages).'), 'push');
  const call = async (method: string, path: string, body?: unknown): Promise<void> => {
    const answer = await adminClient(resolveAdminTarget(push.opts<Connection>(), 'push')).call(method, path, body);
    io.out(JSON.stringify(answer ?? { ok: true }, null, 2));
  };

  const app = push.command('app').description('Apps: credentials for APNs, FCM and Web Push.');
  withCredentialOptions(
    app.command('create').description('Create an app; prints its app key and server key once.').requiredOption('--name <name>', 'app name'),
  ).action(async (options: AppOptions) =>
    call('POST', '/admin/apps', { name: options.name, ...appBody(options), ...webPushBody(options) }),
  );
  app
    .command('list')
    .description('List apps.')
    .action(async () => call('GET', '/admin/apps'));
  app
    .command('show <appId>')
    .description('Show an app (never its secrets).')
    .action(async (appId: string) => call('GET', `/admin/apps/${enc(appId)}`));
  withCredentialOptions(
    app
      .command('update <appId>')
      .description('Change name, titles or credentials; new credentials lift a pause.')
      .option('--name <name>', 'new name'),
  )
    .addOption(new Option('--remove-apns', 'remove the APNs credentials'))
    .addOption(new Option('--remove-fcm', 'remove the FCM credentials'))
    .action(async (appId: string, options: AppOptions) =>
      call('PATCH', `/admin/apps/${enc(appId)}`, {
        ...(options.name ? { name: options.name } : {}),
        ...appBody(options),
        ...(options.removeApns ? { apns: null } : {}),
        ...(options.removeFcm ? { fcm: null } : {}),
      }),
    );
  app
    .command('resume <appId> <provider>')
    .description('Resume a provider paused by a credential error (apns, fcm, webpush).')
    .action(async (appId: string, provider: string) => call('POST', `/admin/apps/${enc(appId)}/providers/${enc(provider)}/resume`));
  app
    .command('delete <appId>')
    .description('Delete an app with its devices and history.')
    .action(async (appId: string) => call('DELETE', `/admin/apps/${enc(appId)}`));

  const source = push.command('source').description('Sources: senders of messages (the queue service is one).');
  source
    .command('create <appId>')
    .description('Create a source; prints its secret and ingest URL once.')
    .requiredOption('--name <name>', 'source name')
    .option('--token', 'a bearer-token source, for senders that cannot sign')
    .action(async (appId: string, options: { name: string; token?: boolean }) =>
      call('POST', `/admin/apps/${enc(appId)}/sources`, { name: options.name, mode: options.token ? 'token' : 'signature' }),
    );
  source
    .command('list <appId>')
    .description('List the sources of an app.')
    .action(async (appId: string) => call('GET', `/admin/apps/${enc(appId)}/sources`));
  source
    .command('rotate <appId> <sourceId>')
    .description('New signing secret; the old one stays valid 24 hours.')
    .action(async (appId: string, sourceId: string) => call('POST', `/admin/apps/${enc(appId)}/sources/${enc(sourceId)}/rotate-secret`));
  source
    .command('receipts <appId> <sourceId>')
    .description("Send the source's receipts to a URL, signed with the given secret (or a new one, printed once).")
    .option('--url <url>', "the receipt URL, e.g. the queue service's /v2/receipts/{webhookId}")
    .option('--secret <secret>', 'the whsec_ secret the receiver gave')
    .option('--off', 'stop sending receipts')
    .action(async (appId: string, sourceId: string, options: { url?: string; secret?: string; off?: boolean }) => {
      const path = `/admin/apps/${enc(appId)}/sources/${enc(sourceId)}/receipts`;
      if (options.off) return call('DELETE', path);
      if (!options.url) throw new Error('--url is required (or --off)');
      return call('PUT', path, { url: options.url, ...(options.secret ? { secret: options.secret } : {}) });
    });
  source
    .command('delete <appId> <sourceId>')
    .description('Delete a source.')
    .action(async (appId: string, sourceId: string) => call('DELETE', `/admin/apps/${enc(appId)}/sources/${enc(sourceId)}`));

  push
    .command('messages <appId>')
    .description('Recent messages of an app with their pushes.')
    .option('--status <status>', 'accepted, unknown_push_id, no_devices, expired_on_arrival')
    .action(async (appId: string, options: { status?: string }) =>
      call('GET', `/admin/apps/${enc(appId)}/messages${options.status ? `?status=${enc(options.status)}` : ''}`),
    );
}

interface AppOptions {
  name?: string;
  title?: string[];
  apnsKey?: string;
  apnsKeyId?: string;
  apnsTeamId?: string;
  apnsTopic?: string;
  apnsBaseUrl?: string;
  apnsSandboxBaseUrl?: string;
  apnsCa?: string;
  fcmServiceAccount?: string;
  fcmBaseUrl?: string;
  vapidPublicKey?: string;
  vapidPrivateKey?: string;
  vapidSubject?: string;
  removeApns?: boolean;
  removeFcm?: boolean;
}

function withCredentialOptions(command: Command): Command {
  return command
    .option(
      '--title <locale=text>',
      'notification title for a locale (repeat; "default=…" for all others)',
      (value: string, all: string[] = []) => [...all, value],
    )
    .option('--apns-key <file>', 'APNs .p8 key file')
    .option('--apns-key-id <id>', 'APNs key id')
    .option('--apns-team-id <id>', 'Apple team id')
    .option('--apns-topic <bundleId>', 'APNs topic (bundle id)')
    .option('--apns-base-url <url>', 'APNs host override (fake or proxy)')
    .option('--apns-sandbox-base-url <url>', 'APNs sandbox host override')
    .option('--apns-ca <file>', 'extra CA (PEM) to trust for APNs')
    .option('--fcm-service-account <file>', 'FCM service account JSON file')
    .option('--fcm-base-url <url>', 'FCM host override')
    .option('--vapid-public-key <key>', 'VAPID public key (generated when absent)')
    .option('--vapid-private-key <key>', 'VAPID private key')
    .option('--vapid-subject <contact>', 'mailto: or https: contact for push services');
}

/** The credential and title fields an option set gives, omitting what was not asked for. */
function appBody(options: AppOptions): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (options.title?.length)
    body.titles = Object.fromEntries(options.title.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
  if (options.apnsKey) {
    body.apns = {
      keyP8: readFileSync(options.apnsKey, 'utf8'),
      keyId: options.apnsKeyId,
      teamId: options.apnsTeamId,
      topic: options.apnsTopic,
      ...(options.apnsBaseUrl ? { baseUrl: options.apnsBaseUrl } : {}),
      ...(options.apnsSandboxBaseUrl ? { sandboxBaseUrl: options.apnsSandboxBaseUrl } : {}),
      ...(options.apnsCa ? { ca: readFileSync(options.apnsCa, 'utf8') } : {}),
    };
  }
  if (options.fcmServiceAccount)
    body.fcm = {
      serviceAccount: JSON.parse(readFileSync(options.fcmServiceAccount, 'utf8')),
      ...(options.fcmBaseUrl ? { baseUrl: options.fcmBaseUrl } : {}),
    };
  return body;
}

function webPushBody(options: AppOptions): Record<string, unknown> {
  if (!options.vapidPublicKey && !options.vapidPrivateKey && !options.vapidSubject) return {};
  return { webpush: { publicKey: options.vapidPublicKey, privateKey: options.vapidPrivateKey, subject: options.vapidSubject } };
}

function enc(value: string): string {
  return encodeURIComponent(value);
}
