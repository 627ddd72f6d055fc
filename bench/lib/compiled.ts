/**
 * A bench server compiled to JavaScript, so its process runs with plain `node` as the installed
 * package does (no tsx loader thread, no compiling at start: tens of MB of RSS that are the bench's,
 * not the product's). Emitted without type checking (npm run typecheck does that) into
 * .bench-compiled/ at the repository's root, where node_modules still resolves. Once per bench run.
 */
import { execFile } from 'node:child_process';
import { writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OUT = join(ROOT, '.bench-compiled');
const compiled = new Map<string, Promise<string>>();

/** The path of `script` (a .ts file under the repository) compiled with everything it imports. */
export function compiledScript(script: string): Promise<string> {
  let done = compiled.get(script);
  if (!done) {
    done = compile(script);
    compiled.set(script, done);
  }
  return done;
}

async function compile(script: string): Promise<string> {
  mkdirSync(OUT, { recursive: true });
  const config = join(OUT, `tsconfig.${compiled.size}.json`);
  writeFileSync(
    config,
    JSON.stringify({
      extends: '../tsconfig.json',
      compilerOptions: { noEmit: false, noCheck: true, rootDir: '..', outDir: '.', declaration: false, sourceMap: false },
      include: [],
      files: [relative(OUT, script)],
    }),
  );
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  await promisify(execFile)(process.execPath, [tsc, '-p', config]);
  return join(OUT, relative(ROOT, script)).replace(/\.ts$/, '.js');
}
