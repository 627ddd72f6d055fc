/**
 * No route or worker writes a ticket except through the unit of work
 * (docs/design.md §Unit of work): read from the source itself with the TypeScript compiler, every
 * module of src/ that imports a function writing a ticket — or what a ticket change writes with
 * it: waiting counters, history events, outbox rows, due jobs, service times — must be the one
 * module allowed to.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

const UNIT = 'src/queue-service/tickets/unit-of-work.ts';
const OUTBOX = 'src/queue-service/notifications/outbox.ts';
const TICKET_JOBS = 'src/queue-service/due-jobs/ticket-jobs.ts';
const SERVICE_TIME = 'src/queue-service/tickets/service-time.ts';

/** Module → the writers it exports → the only modules that may import each. */
const WRITERS: Record<string, Record<string, string[]>> = {
  'src/queue-service/db/queries/tickets.ts': {
    insertTicket: [UNIT],
    updateTicketIfVersion: [UNIT],
    rateTicketOnce: [UNIT],
    eraseTicketsPersonalData: [UNIT],
  },
  'src/queue-service/db/queries/queue-counters.ts': { adjustWaitingCounters: [UNIT] },
  'src/queue-service/db/queries/ticket-event-feed.ts': { insertTicketEventForFeed: [UNIT] },
  // The steps of the unit that live beside their own concern, each wrapping its writers.
  'src/queue-service/db/queries/messages.ts': { insertMessages: [OUTBOX] },
  [OUTBOX]: { writeTicketMessages: [UNIT] },
  'src/queue-service/db/queries/scheduled-jobs.ts': { upsertJobs: [TICKET_JOBS], deleteJobsOfTicket: [TICKET_JOBS] },
  [TICKET_JOBS]: { scheduleAppointment: [UNIT], syncJobsAfterChange: [UNIT] },
  'src/queue-service/db/queries/service-times.ts': { recordServiceSample: [SERVICE_TIME] },
  [SERVICE_TIME]: { recordServiceTime: [UNIT] },
};

/** Tables only a change of a ticket writes, and the query modules holding those writes. */
const TICKET_TABLES = ['tickets', 'ticket_events', 'queue_counters'];
const TABLE_WRITERS = [
  'src/queue-service/db/queries/tickets.ts',
  'src/queue-service/db/queries/queue-counters.ts',
  'src/queue-service/db/queries/ticket-event-feed.ts',
];
/**
 * Migrations shape stored rows once, before the service runs (a new column filled from an old
 * one): a change of schema, not of a ticket.
 */
const MIGRATIONS = 'src/queue-service/db/migrations/';
const WRITE_CALLS = new Set(['insertInto', 'updateTable', 'deleteFrom', 'replaceInto', 'mergeInto', 'insertRow', 'insertRowAndNotify']);
const RAW_WRITE = new RegExp(`\\b(insert\\s+into|update|delete\\s+from)\\s+"?(${TICKET_TABLES.join('|')})\\b`, 'i');

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

function parse(path: string): ts.SourceFile {
  return ts.createSourceFile(path, readFileSync(join(ROOT, path), 'utf8'), ts.ScriptTarget.Latest, true);
}

/** The repository path a relative import names, or null for a package. */
function target(from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  return relative(ROOT, resolve(ROOT, dirname(from), specifier)).replace(/\.js$/, '.ts');
}

function where(file: ts.SourceFile, node: ts.Node): string {
  return `${file.fileName}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
}

/** Every way `path` reaches a writer against the table, as readable findings. */
function violationsIn(path: string, file = parse(path)): string[] {
  const found: string[] = [];
  const useOf = (module: string, name: string, node: ts.Node) => {
    const allowed = WRITERS[module]?.[name];
    if (allowed && !allowed.includes(path)) found.push(`${where(file, node)} imports ${name} from ${module}`);
  };
  const wholeModule = (module: string | null, node: ts.Node, how: string) => {
    if (module && WRITERS[module] && !Object.values(WRITERS[module]).every((allowed) => allowed.includes(path))) {
      found.push(`${where(file, node)} ${how} ${module}`);
    }
  };
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      const module = target(path, node.moduleSpecifier.text);
      if (module && WRITERS[module]) {
        const bindings = ts.isImportDeclaration(node) ? node.importClause?.namedBindings : node.exportClause;
        if (!bindings) {
          if (ts.isExportDeclaration(node)) wholeModule(module, node, 're-exports all of');
        } else if (ts.isNamespaceImport(bindings) || ts.isNamespaceExport(bindings)) {
          wholeModule(module, node, 'takes the namespace of');
        } else {
          for (const element of bindings.elements) useOf(module, (element.propertyName ?? element.name).text, element);
        }
      }
    }
    if (ts.isCallExpression(node)) {
      if (node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
        wholeModule(target(path, node.arguments[0].text), node, 'imports dynamically');
      }
      const callee = ts.isPropertyAccessExpression(node.expression)
        ? node.expression.name.text
        : ts.isIdentifier(node.expression)
          ? node.expression.text
          : '';
      const table = node.arguments.find((argument) => ts.isStringLiteralLike(argument));
      if (
        WRITE_CALLS.has(callee) &&
        table &&
        ts.isStringLiteralLike(table) &&
        TICKET_TABLES.includes(table.text.split(/\s+as\s+/)[0]!) &&
        !TABLE_WRITERS.includes(path)
      ) {
        found.push(`${where(file, node)} writes ${table.text} with ${callee}`);
      }
    }
    if (ts.isTaggedTemplateExpression(node) && RAW_WRITE.test(node.template.getText(file)) && !TABLE_WRITERS.includes(path)) {
      found.push(`${where(file, node)} writes a ticket table in raw SQL`);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

function exportedNames(path: string): string[] {
  const file = parse(path);
  return file.statements
    .filter(
      (statement) => ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword),
    )
    .flatMap((statement) =>
      ts.isFunctionDeclaration(statement) && statement.name
        ? [statement.name.text]
        : ts.isVariableStatement(statement)
          ? statement.declarationList.declarations.map((d) => d.name.getText(file))
          : [],
    );
}

describe('one way to change a ticket', () => {
  it('names writers that exist: each module of the table still exports them', () => {
    for (const [module, writers] of Object.entries(WRITERS)) {
      expect({ module, exported: Object.keys(writers).filter((name) => exportedNames(module).includes(name)) }).toEqual({
        module,
        exported: Object.keys(writers),
      });
    }
  });

  it('lets no module of src/ but the unit of work (and its own steps) import a ticket writer or write a ticket table', () => {
    const files = sourceFiles('src');
    expect(files).toContain(UNIT);
    expect(files.filter((path) => !path.startsWith(MIGRATIONS)).flatMap((path) => violationsIn(path))).toEqual([]);
  });

  it('would notice a route writing a ticket itself', () => {
    const route = 'src/queue-service/booking/routes.ts';
    const source = [
      "import { updateTicketIfVersion } from '../db/queries/tickets.js';",
      "import * as counters from '../db/queries/queue-counters.js';",
      "export { writeTicketMessages } from '../notifications/outbox.js';",
      "const load = () => import('../db/queries/ticket-event-feed.js');",
      "async function sneak(db) { await db.updateTable('tickets as t').set({ state: 600 }).execute(); await sql`UPDATE tickets SET state = 600`.execute(db); }",
    ].join('\n');
    const findings = violationsIn(route, ts.createSourceFile(route, source, ts.ScriptTarget.Latest, true));
    expect(findings).toEqual([
      `${route}:1 imports updateTicketIfVersion from src/queue-service/db/queries/tickets.ts`,
      `${route}:2 takes the namespace of src/queue-service/db/queries/queue-counters.ts`,
      `${route}:3 imports writeTicketMessages from ${OUTBOX}`,
      `${route}:4 imports dynamically src/queue-service/db/queries/ticket-event-feed.ts`,
      `${route}:5 writes tickets as t with updateTable`,
      `${route}:5 writes a ticket table in raw SQL`,
    ]);
  });
});
