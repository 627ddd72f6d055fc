/**
 * Import boundaries (`npm run boundaries`): which folder may import which, as the layout in docs/CONVENTIONS.md
 * draws them: contract ← platform ← services, the two services apart, db/ below its features, the browser
 * pages on the contract and the clients only. Tests and the bench may import anything, so no rule starts there.
 * Type-only imports count: a type import ties two folders together as much as a value import does.
 */
const OURS = '^(src|web|test|bench|bin)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'A cycle means neither module can be read or tested without the other; break it by moving the shared part down a layer.',
      from: { path: '^(src|web/src)/' },
      to: { circular: true },
    },
    {
      name: 'no-folder-cycles',
      severity: 'error',
      comment: 'Two folders that import each other are one concern in two places: one of them has to be the lower layer.',
      scope: 'folder',
      from: { path: '^(src|web/src)/' },
      to: { circular: true },
    },
    {
      name: 'contract-imports-nothing-ours',
      severity: 'error',
      comment: 'src/contract is what both services and the browser agree on: it stands alone.',
      from: { path: '^src/contract/' },
      to: { path: OURS, pathNot: '^src/contract/' },
    },
    {
      name: 'platform-imports-only-contract',
      severity: 'error',
      comment: 'src/platform is infrastructure under both services: it knows the contract and nothing above it.',
      from: { path: '^src/platform/' },
      to: { path: OURS, pathNot: '^src/(platform|contract)/' },
    },
    {
      name: 'services-apart',
      severity: 'error',
      comment: 'The queue service and the push server talk over HTTP (the contract), never through each other\'s modules.',
      from: { path: '^src/(queue-service|push-server)/' },
      to: { path: '^src/(queue-service|push-server)/', pathNot: '^src/$1/' },
    },
    {
      name: 'db-below-features',
      severity: 'error',
      comment: 'A service\'s db/ (schema, migrations, queries) is imported by its feature folders, never the other way round.',
      from: { path: '^src/(queue-service|push-server)/db/' },
      to: { path: '^src/$1/(?!db/)[^/]+/' },
    },
    {
      name: 'web-imports-only-contract-and-clients',
      severity: 'error',
      comment: 'The browser bundle may share the contract and the HTTP clients, not server code.',
      from: { path: '^web/src/' },
      to: { path: '^(src|test|bench|bin)/', pathNot: '^src/(contract|clients)/' },
    },
    {
      name: 'demo-not-cli',
      severity: 'error',
      comment: 'The demo is started by the CLI; it must not reach back into the command modules.',
      from: { path: '^src/demo/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'admin-imported-by-no-feature',
      severity: 'error',
      comment: 'What other features show of places, counters and operators lives in entities/; only app.ts registers the admin routes.',
      from: { path: '^src/queue-service/(?!admin/|app\\.ts$)' },
      to: { path: '^src/queue-service/admin/' },
    },
    {
      name: 'validation-not-imported-by-admin',
      severity: 'error',
      comment: 'Operator roles are in entities/: the admin API and the counter API share them without importing each other.',
      from: { path: '^src/queue-service/admin/' },
      to: { path: '^src/queue-service/validation/' },
    },
    {
      name: 'fakes-import-only-contract-and-platform',
      severity: 'error',
      comment: 'The fake providers stand in for outside services: they may not lean on the code they are faking for.',
      from: { path: '^src/fakes/' },
      to: { path: OURS, pathNot: '^src/(fakes|contract|platform)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.d.ts'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
