/** Running the `queuebell` command from the sources, as the CLI tests do. */
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
/** tsx's loader by its path, as the command runs from directories with no node_modules. */
const TSX = new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `queuebell …` from the sources in a directory of its own, with no QUEUEBELL_* setting but `env`. */
export function queuebell(args: string[], env: Record<string, string> = {}, cwd = tmpdir()): Promise<Ran> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('QUEUEBELL_')));
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', TSX, MAIN, ...args],
      { cwd, env: { ...clean, QUEUEBELL_LOG_LEVEL: 'warn', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
      },
    );
  });
}
