/**
 * Builds the pages into web/dist (`npm run build:web`). With `--if-stale` it builds only when a
 * source is newer than the last build, so `npm start` and the browser tests can call it every time
 * at no cost. A lock directory keeps two test workers from building into the same folder at once.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = fileURLToPath(new URL('.', import.meta.url));
const repo = join(web, '..');
const STAMP = join(web, 'dist', '.built');
const LOCK = join(web, '.build-lock');
/** Everything the bundles are made of, including the shared sources they import. */
const INPUTS = [
  'web/src',
  'web/public',
  'web/index.html',
  'web/desk.html',
  'web/display.html',
  'web/admin.html',
  'web/vite.config.ts',
  'src/clients',
  'src/contract',
  'package-lock.json',
];

function newestInput(): number {
  let newest = 0;
  const visit = (path: string) => {
    if (!existsSync(path)) return;
    const stat = statSync(path);
    if (stat.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const input of INPUTS) visit(join(repo, input));
  return newest;
}

export function pagesAreStale(): boolean {
  return !existsSync(STAMP) || statSync(STAMP).mtimeMs < newestInput();
}

async function withLock<T>(work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      // A lock older than two minutes was left by a build that died.
      if (existsSync(LOCK) && Date.now() - statSync(LOCK).mtimeMs > 120_000) rmSync(LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`${LOCK} is held for too long`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

export async function buildPages(options: { ifStale?: boolean; quiet?: boolean } = {}): Promise<'built' | 'fresh' | 'skipped'> {
  return withLock(async () => {
    if (options.ifStale && !pagesAreStale()) return 'fresh';
    let vite: typeof import('vite');
    try {
      vite = await import('vite');
    } catch {
      // A production install without devDependencies: the service runs, the pages say they are not built.
      console.warn('queuebell: vite is not installed (devDependencies omitted?); the web pages are not built.');
      return 'skipped';
    }
    await vite.build({ configFile: join(web, 'vite.config.ts'), logLevel: options.quiet ? 'warn' : 'info' });
    writeFileSync(STAMP, `${new Date().toISOString()}\n`);
    return 'built';
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const ifStale = process.argv.includes('--if-stale');
  const result = await buildPages({ ifStale, quiet: ifStale });
  if (result === 'fresh' && !ifStale) console.log('web pages are up to date');
  if (result === 'built' && ifStale) console.log('queuebell: web pages built into web/dist');
}
