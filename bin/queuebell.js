#!/usr/bin/env node
// Runs the compiled command (dist/, made by `npm run build`) with plain Node: no TypeScript at run time.
import { existsSync } from 'node:fs';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  console.error('queuebell: dist/ is missing. In a source checkout run `npm run build` (or `npm start`, which builds first).');
  process.exit(1);
}
await import(main.href);
