/**
 * `queuebell company|key|service-account|place|subplace|category|queue|counter|operator …`: the queue service's
 * admin API from the shell. Each command is one admin call and prints its JSON answer.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { adminClient } from '../clients/admin-client.js';
import { printJson, resolveAdminTarget, withAdminTarget } from './admin-target.js';
import { CliError } from './errors.js';

type Options = Record<string, string | undefined> & { url?: string; token?: string };

function action(run: (call: ReturnType<typeof adminClient>['call'], options: Options, args: string[]) => Promise<unknown>) {
  return async (...received: unknown[]) => {
    const command = received[received.length - 1] as Command;
    const options = command.opts<Options>();
    const call = adminClient(resolveAdminTarget(options, 'queue')).call;
    printJson(await run(call, options, command.args));
  };
}

function group(program: Command, name: string, description: string): Command {
  return program.command(name).description(description);
}

export function registerQueueAdminCommands(program: Command): void {
  const company = group(program, 'company', 'Companies (tenants) of the queue service.');
  withAdminTarget(company.command('create').description('Create a company.').requiredOption('--name <name>'), 'queue').action(
    action((call, o) => call('POST', '/admin/companies', { name: o.name })),
  );
  withAdminTarget(company.command('list').description('List companies.'), 'queue').action(
    action((call) => call('GET', '/admin/companies')),
  );

  const key = group(program, 'key', 'API keys of a company (the key is shown once).');
  withAdminTarget(
    key
      .command('create')
      .description('Create an API key.')
      .requiredOption('--company <id>')
      .requiredOption('--scopes <list>', 'comma-separated: booking, server, operator, admin')
      .option('--name <name>'),
    'queue',
  ).action(action((call, o) => call('POST', `/admin/companies/${o.company}/keys`, { scopes: o.scopes!.split(','), name: o.name })));
  withAdminTarget(key.command('list').description("List a company's keys.").requiredOption('--company <id>'), 'queue').action(
    action((call, o) => call('GET', `/admin/companies/${o.company}/keys`)),
  );
  withAdminTarget(
    key.command('revoke').description('Revoke a key.').requiredOption('--company <id>').requiredOption('--key <id>'),
    'queue',
  ).action(action((call, o) => call('DELETE', `/admin/companies/${o.company}/keys/${o.key}`).then(() => ({ revoked: o.key }))));

  const serviceAccount = group(
    program,
    'service-account',
    "Service accounts of a company: a Lineberty-style key file for the integrator's server (shown once).",
  );
  withAdminTarget(
    serviceAccount
      .command('create')
      .description('Create a service account and print its key file (or write it with --out, mode 600).')
      .requiredOption('--company <id>')
      .option('--scopes <list>', 'scopes of the API keys it gets, comma-separated (default booking)')
      .option('--name <name>')
      .option('--out <file>', 'write the key file here instead of printing it'),
    'queue',
  ).action(
    action(async (call, o) => {
      const keyFile = await call<{ client_email: string }>('POST', `/admin/companies/${o.company}/service-accounts`, {
        name: o.name,
        scopes: o.scopes?.split(','),
      });
      if (!o.out) return keyFile;
      // The only copy of the private key: readable by its owner alone, never overwritten.
      writeFileSync(o.out, `${JSON.stringify(keyFile, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
      return { clientEmail: keyFile.client_email, keyFile: o.out };
    }),
  );
  withAdminTarget(
    serviceAccount.command('list').description("List a company's service accounts.").requiredOption('--company <id>'),
    'queue',
  ).action(action((call, o) => call('GET', `/admin/companies/${o.company}/service-accounts`)));
  withAdminTarget(
    serviceAccount
      .command('revoke')
      .description('Revoke a service account and the API keys it received.')
      .requiredOption('--company <id>')
      .requiredOption('--service-account <id>'),
    'queue',
  ).action(
    action((call, o) =>
      call('DELETE', `/admin/companies/${o.company}/service-accounts/${o.serviceAccount}`).then(() => ({ revoked: o.serviceAccount })),
    ),
  );

  const place = group(program, 'place', 'Places of a company.');
  withAdminTarget(
    place
      .command('create')
      .description('Create a place.')
      .requiredOption('--company <id>')
      .requiredOption('--name <name>')
      .requiredOption('--time-zone <zone>', 'IANA time zone, e.g. Europe/Paris')
      .option('--lang <lang>', 'default language, e.g. fr_FR')
      .option('--names <json>', 'names per locale as JSON, e.g. {"fr_FR":"Mairie"}')
      .option('--address <text>')
      .option('--city <text>')
      .option('--zip <text>')
      .option('--country <text>')
      .option('--position <lat,lng>', 'e.g. 48.8566,2.3522'),
    'queue',
  ).action(
    action((call, o) =>
      call('POST', `/admin/companies/${o.company}/places`, {
        name: o.name,
        timeZone: o.timeZone,
        lang: o.lang,
        names: jsonOption('names', o.names),
        address: o.address,
        city: o.city,
        zip: o.zip,
        country: o.country,
        position: o.position === undefined ? undefined : positionOption(o.position),
      }),
    ),
  );
  withAdminTarget(place.command('list').description("List a company's places.").requiredOption('--company <id>'), 'queue').action(
    action((call, o) => call('GET', `/admin/companies/${o.company}/places`)),
  );

  // A place has subplaces or categories of its own, never both; a subplace may have categories (docs/design.md §Routes).
  const subplace = group(program, 'subplace', 'Subplaces of a place (where a place lists its queues).');
  withAdminTarget(
    subplace
      .command('create')
      .description('Create a subplace of a place.')
      .requiredOption('--place <id>')
      .requiredOption('--name <name>')
      .option('--names <json>', 'names per locale as JSON, e.g. {"fr_FR":"Rez-de-chaussée"}'),
    'queue',
  ).action(action((call, o) => call('POST', `/admin/places/${o.place}/subplaces`, { name: o.name, names: jsonOption('names', o.names) })));
  withAdminTarget(subplace.command('list').description("List a place's subplaces.").requiredOption('--place <id>'), 'queue').action(
    action((call, o) => call('GET', `/admin/places/${o.place}/subplaces`)),
  );
  withAdminTarget(
    subplace.command('delete').description('Delete a subplace; its queues stay, under the place.').requiredOption('--subplace <id>'),
    'queue',
  ).action(action((call, o) => call('DELETE', `/admin/subplaces/${o.subplace}`).then(() => ({ deleted: o.subplace }))));

  const category = group(program, 'category', 'Categories of a place or of one of its subplaces.');
  withAdminTarget(
    category
      .command('create')
      .description('Create a category of a place (--place) or of a subplace (--subplace).')
      .option('--place <id>')
      .option('--subplace <id>')
      .requiredOption('--name <name>')
      .option('--names <json>', 'names per locale as JSON, e.g. {"fr_FR":"Passeports"}'),
    'queue',
  ).action(action((call, o) => call('POST', `${categoryOwner(o)}/categories`, { name: o.name, names: jsonOption('names', o.names) })));
  withAdminTarget(
    category
      .command('list')
      .description("List a place's categories (its own and its subplaces') or a subplace's.")
      .option('--place <id>')
      .option('--subplace <id>'),
    'queue',
  ).action(action((call, o) => call('GET', `${categoryOwner(o)}/categories`)));
  withAdminTarget(
    category.command('delete').description('Delete a category; its queues stay, under the place.').requiredOption('--category <id>'),
    'queue',
  ).action(action((call, o) => call('DELETE', `/admin/categories/${o.category}`).then(() => ({ deleted: o.category }))));

  const queue = group(program, 'queue', 'Queues of a place.');
  withAdminTarget(
    queue
      .command('create')
      .description('Create a queue.')
      .requiredOption('--place <id>')
      .requiredOption('--name <name>')
      .option('--label-prefix <letters>')
      .option('--names <json>', 'names per locale as JSON, e.g. {"fr_FR":"Passeports"}')
      .option('--settings <json>', 'queue settings as JSON, e.g. {"alertPositions":[3,1]}'),
    'queue',
  ).action(
    action((call, o) =>
      call('POST', `/admin/places/${o.place}/queues`, {
        name: o.name,
        labelPrefix: o.labelPrefix,
        names: jsonOption('names', o.names),
        settings: jsonOption('settings', o.settings),
      }),
    ),
  );
  withAdminTarget(
    queue
      .command('update')
      .description("Change a queue's name or settings (merged).")
      .requiredOption('--queue <id>')
      .option('--name <name>')
      .option('--settings <json>'),
    'queue',
  ).action(action((call, o) => call('PATCH', `/admin/queues/${o.queue}`, { name: o.name, settings: jsonOption('settings', o.settings) })));
  withAdminTarget(queue.command('list').description("List a place's queues.").requiredOption('--place <id>'), 'queue').action(
    action((call, o) => call('GET', `/admin/places/${o.place}/queues`)),
  );

  const counter = group(program, 'counter', 'Counters (endpoints) of a place.');
  withAdminTarget(
    counter
      .command('create')
      .description('Create a counter serving some queues.')
      .requiredOption('--place <id>')
      .requiredOption('--name <name>')
      .requiredOption('--queues <ids>', 'comma-separated queue ids'),
    'queue',
  ).action(action((call, o) => call('POST', `/admin/places/${o.place}/endpoints`, { name: o.name, queueIds: o.queues!.split(',') })));
  withAdminTarget(counter.command('list').description("List a place's counters.").requiredOption('--place <id>'), 'queue').action(
    action((call, o) => call('GET', `/admin/places/${o.place}/endpoints`)),
  );

  const operator = group(program, 'operator', 'Operators (counter staff) of a company.');
  withAdminTarget(
    operator
      .command('create')
      .description('Create an operator.')
      .requiredOption('--company <id>')
      .requiredOption('--login <loginId>')
      .requiredOption('--password <password>')
      .option('--name <name>')
      .option('--roles <json>', 'e.g. {"allowedStates":[200,500,700],"recall":false,"manageCounter":true}'),
    'queue',
  ).action(
    action((call, o) =>
      call('POST', `/admin/companies/${o.company}/operators`, {
        loginId: o.login,
        password: o.password,
        name: o.name,
        roles: jsonOption('roles', o.roles),
      }),
    ),
  );
  withAdminTarget(operator.command('list').description("List a company's operators.").requiredOption('--company <id>'), 'queue').action(
    action((call, o) => call('GET', `/admin/companies/${o.company}/operators`)),
  );

  // Another role than the operator's own in one queue of their company (docs/design.md §Routes).
  const queueRole = operator.command('queue-role').description("An operator's role in one queue, instead of their own.");
  withAdminTarget(
    queueRole
      .command('set')
      .description("Set an operator's whole role in one queue; it applies from their next action.")
      .requiredOption('--operator <id>')
      .requiredOption('--queue <id>')
      .requiredOption(
        '--roles <json>',
        'the same document as operator create --roles, e.g. {"allowedStates":[200,700],"recall":false,"manageCounter":false}',
      ),
    'queue',
  ).action(action((call, o) => call('PUT', `/admin/operators/${o.operator}/queueRoles/${o.queue}`, jsonOption('roles', o.roles))));
  withAdminTarget(
    queueRole.command('list').description('List the queues where an operator has another role.').requiredOption('--operator <id>'),
    'queue',
  ).action(action((call, o) => call('GET', `/admin/operators/${o.operator}/queueRoles`)));
  withAdminTarget(
    queueRole
      .command('clear')
      .description("Clear an operator's role in one queue: their own role applies there again.")
      .requiredOption('--operator <id>')
      .requiredOption('--queue <id>'),
    'queue',
  ).action(
    action((call, o) =>
      call('DELETE', `/admin/operators/${o.operator}/queueRoles/${o.queue}`).then(() => ({ cleared: o.queue, operator: o.operator })),
    ),
  );
}

/** A JSON option's value, undefined when not given; text that is not JSON stops the command in one line naming the option. */
function jsonOption(flag: string, text: string | undefined): unknown {
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new CliError(`--${flag} is not valid JSON`, `quote it for the shell, e.g. --${flag} '{"key":"value"}'`);
  }
}

/** A category belongs to a place or to one of its subplaces: exactly one of the two options says which. */
function categoryOwner(o: Options): string {
  if ((o.place === undefined) === (o.subplace === undefined))
    throw new CliError('pass either --place or --subplace', 'a category belongs to a place or to one of its subplaces');
  return o.place !== undefined ? `/admin/places/${o.place}` : `/admin/subplaces/${o.subplace}`;
}

/** `48.8566,2.3522` → `{lat, lng}`; anything else is left for the API to refuse with its 400. */
function positionOption(text: string): { lat: number; lng: number } {
  const [lat, lng] = text.split(',').map(Number);
  return { lat: lat ?? Number.NaN, lng: lng ?? Number.NaN };
}
