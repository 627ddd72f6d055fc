/**
 * `queuebell webhooks …` and `queuebell messages …`: webhook destinations (with secret rotation
 * and delivery health) and the message log (with replay), through the queue service's admin API
 * like the other admin commands. Each command is one call and prints its JSON answer.
 */
import type { Command } from 'commander';
import { adminClient } from '../clients/admin-client.js';
import { printJson, resolveAdminTarget, withAdminTarget } from './admin-target.js';
import { CliError } from './errors.js';

type Options = Record<string, string | boolean | undefined> & { url?: string; token?: string };
type Call = ReturnType<typeof adminClient>['call'];

function action(run: (call: Call, options: Options) => Promise<unknown>) {
  return async (...received: unknown[]) => {
    const command = received[received.length - 1] as Command;
    const options = command.opts<Options>();
    printJson(await run(adminClient(resolveAdminTarget(options as { url?: string; token?: string }, 'queue')).call, options));
  };
}

const list = (value: string | boolean | undefined) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : undefined;

/** `--actions all` sends every action again; a list filters. */
const actions = (value: string | boolean | undefined) => (value === 'all' ? null : list(value));

/** Accepts an RFC 3339 time or a duration back from now (`30m`, `2h`, `1d`). */
export function parseTime(value: string, now = Date.now()): string {
  const ago = /^(\d+)([smhd])$/.exec(value);
  if (ago) return new Date(now - Number(ago[1]) * { s: 1e3, m: 6e4, h: 36e5, d: 864e5 }[ago[2] as 's' | 'm' | 'h' | 'd']).toISOString();
  const parsed = Date.parse(value);
  if (Number.isNaN(parsed))
    throw new CliError(`Not a time: "${value}" (use 2026-03-02T09:00:00Z or a duration back from now such as 30m, 2h, 1d).`);
  return new Date(parsed).toISOString();
}

function query(params: Record<string, string | boolean | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (typeof value === 'string') search.set(name, value);
  const text = search.toString();
  return text ? `?${text}` : '';
}

export function registerDeliveryCommands(program: Command): void {
  registerWebhookCommands(
    program.command('webhooks').description('Webhook destinations of a company: where ticket messages are POSTed, signed.'),
  );
  registerMessageCommands(program.command('messages').description('The message log: what was sent, every attempt, replay.'));
}

function registerWebhookCommands(webhooks: Command): void {
  withAdminTarget(
    webhooks
      .command('create')
      .description('Create a destination; prints its whsec_ secret once.')
      .requiredOption('--company <id>')
      .requiredOption('--webhook-url <url>', 'where messages are POSTed')
      .option('--actions <list>', 'only these actions, comma-separated (default: all)')
      .option('--description <text>')
      .option('--secret <whsec>', 'sign with this secret instead of a generated one')
      .option('--disabled', 'create it disabled'),
    'queue',
  ).action(
    action((call, o) =>
      call('POST', `/admin/companies/${o.company}/webhooks`, {
        url: o.webhookUrl,
        actions: list(o.actions),
        description: o.description,
        secret: o.secret,
        enabled: o.disabled ? false : undefined,
      }),
    ),
  );

  withAdminTarget(
    webhooks.command('list').description("List a company's destinations with their health.").requiredOption('--company <id>'),
    'queue',
  ).action(action((call, o) => call('GET', `/admin/companies/${o.company}/webhooks`)));

  withAdminTarget(webhooks.command('show').description('Show one destination.').requiredOption('--webhook <id>'), 'queue').action(
    action((call, o) => call('GET', `/admin/webhooks/${o.webhook}`)),
  );

  withAdminTarget(
    webhooks
      .command('update')
      .description('Change a destination; --enable after a fix clears its failure record.')
      .requiredOption('--webhook <id>')
      .option('--webhook-url <url>')
      .option('--actions <list>', 'comma-separated, or "all"')
      .option('--description <text>')
      .option('--enable')
      .option('--disable'),
    'queue',
  ).action(
    action((call, o) => {
      if (o.enable && o.disable) throw new CliError('Choose --enable or --disable, not both.');
      return call('PATCH', `/admin/webhooks/${o.webhook}`, {
        url: o.webhookUrl,
        actions: actions(o.actions),
        description: o.description,
        enabled: o.enable ? true : o.disable ? false : undefined,
      });
    }),
  );

  withAdminTarget(
    webhooks.command('delete').description('Delete a destination; messages waiting for it fail.').requiredOption('--webhook <id>'),
    'queue',
  ).action(action((call, o) => call('DELETE', `/admin/webhooks/${o.webhook}`).then(() => ({ deleted: o.webhook }))));

  withAdminTarget(
    webhooks
      .command('rotate-secret')
      .description('A new secret signs from now on; the old ones sign alongside it during the overlap. Prints the new secret once.')
      .requiredOption('--webhook <id>')
      .option('--overlap <seconds>', 'how long the previous secrets keep signing (default 86400; 0 revokes them)')
      .option('--secret <whsec>', 'the new secret, instead of a generated one'),
    'queue',
  ).action(
    action((call, o) =>
      call('POST', `/admin/webhooks/${o.webhook}/secret/rotate`, {
        overlapSeconds: typeof o.overlap === 'string' ? Number(o.overlap) : undefined,
        secret: o.secret,
      }),
    ),
  );

  withAdminTarget(
    webhooks
      .command('revoke-previous')
      .description('Stop signing with previous secrets now (after a leak).')
      .requiredOption('--webhook <id>'),
    'queue',
  ).action(action((call, o) => call('POST', `/admin/webhooks/${o.webhook}/secret/revoke-previous`)));

  withAdminTarget(
    webhooks
      .command('health')
      .description("A company's delivery health: failing and disabled destinations, and why.")
      .requiredOption('--company <id>'),
    'queue',
  ).action(action((call, o) => call('GET', `/admin/companies/${o.company}/delivery-health`)));
}

function registerMessageCommands(messages: Command): void {
  withAdminTarget(
    messages
      .command('list')
      .description('List messages, newest first.')
      .option('--company <id>')
      .option('--ticket <id>')
      .option('--status <status>', 'pending, delivering, delivered, failed, expired or superseded')
      .option('--destination <webhookId>')
      .option('--channel <channel>', 'webhook, sms or email')
      .option('--from <time>', 'created at or after (RFC 3339, or 30m, 2h, 1d back)')
      .option('--to <time>', 'created before')
      .option('--before <messageId>', 'next page: the last id of the previous one')
      .option('--limit <n>', 'at most 500', '100'),
    'queue',
  ).action(
    action((call, o) =>
      call(
        'GET',
        `/admin/messages${query({
          companyId: o.company,
          ticketId: o.ticket,
          status: o.status,
          destinationId: o.destination,
          channel: o.channel,
          from: typeof o.from === 'string' ? parseTime(o.from) : undefined,
          to: typeof o.to === 'string' ? parseTime(o.to) : undefined,
          before: o.before,
          limit: o.limit,
        })}`,
      ),
    ),
  );

  withAdminTarget(
    messages.command('show').description('Show a message with every attempt.').requiredOption('--message <id>'),
    'queue',
  ).action(action((call, o) => call('GET', `/admin/messages/${o.message}`)));

  withAdminTarget(
    messages
      .command('replay')
      .description('Replay one message (--message), or the ended messages of a time range (--from, --to).')
      .option('--message <id>')
      .option('--from <time>')
      .option('--to <time>', 'default: now')
      .option('--company <id>')
      .option('--destination <webhookId>')
      .option('--ticket <id>')
      .option('--channel <channel>')
      .option('--statuses <list>', 'which ended messages of the range (default: failed,expired)'),
    'queue',
  ).action(
    action((call, o) => {
      if (typeof o.message === 'string') return call('POST', `/admin/messages/${o.message}/replay`);
      if (typeof o.from !== 'string') throw new CliError('Give --message <id>, or --from <time> for a range.');
      return call('POST', '/admin/messages/replay', {
        from: parseTime(o.from),
        to: typeof o.to === 'string' ? parseTime(o.to) : new Date().toISOString(),
        companyId: o.company,
        destinationId: o.destination,
        ticketId: o.ticket,
        channel: o.channel,
        statuses: list(o.statuses),
      });
    }),
  );
}
