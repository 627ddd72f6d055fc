/**
 * `queuebell backup <dir>`: a copy of everything a data dir holds that cannot be made again — both
 * SQLite databases (through the online backup API, so the service keeps running) and the key files
 * (admin token, master key: without the master key the push credentials cannot be decrypted). A
 * PostgreSQL database is backed up with pg_dump instead; the command says so. Restoring is copying
 * the files back into an empty data dir (docs/operations.md §Backup and restore).
 */
import { chmodSync, copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { loadConfig, type Config } from '../platform/config.js';
import { backupSqlite } from '../platform/db/sqlite-backup.js';
import { CliError } from './errors.js';

/** The names in a backup are the default names of a data dir, so a restore is a plain copy. */
const DATABASES = [
  {
    service: 'queue service',
    setting: 'QUEUEBELL_DATABASE_URL',
    file: 'queue-service.sqlite',
    target: (config: Config) => config.databaseUrl,
  },
  {
    service: 'push server',
    setting: 'QUEUEBELL_PUSH_DATABASE_URL',
    file: 'push-server.sqlite',
    target: (config: Config) => config.pushDatabaseUrl,
  },
] as const;
const KEY_FILES = ['admin-token', 'master-key'] as const;

export async function backupDataDir(config: Config, dir: string, out: (line: string) => void): Promise<void> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const taken = [...DATABASES.map((d) => d.file), ...KEY_FILES].filter((name) => existsSync(join(dir, name)));
  if (taken.length > 0) throw new CliError(`${join(dir, taken[0]!)} already exists`, 'back up into an empty directory');
  for (const database of DATABASES) {
    const target = database.target(config);
    if (/^postgres(ql)?:\/\//i.test(target)) {
      out(
        `${database.service}: PostgreSQL (${database.setting}) — back it up with pg_dump, e.g. pg_dump --format=custom --file=${database.file.replace('.sqlite', '.dump')} "$${database.setting}"`,
      );
      continue;
    }
    if (!existsSync(target))
      throw new CliError(
        `${database.service} database ${target} does not exist`,
        'is QUEUEBELL_DATA_DIR (or the database setting) the one the service uses?',
      );
    const { pages } = await backupSqlite(target, join(dir, database.file));
    chmodSync(join(dir, database.file), 0o600);
    out(`${database.service}: ${target} → ${join(dir, database.file)} (${pages} pages)`);
  }
  for (const name of KEY_FILES) {
    const source = join(config.dataDir, name);
    if (existsSync(source)) {
      copyFileSync(source, join(dir, name));
      chmodSync(join(dir, name), 0o600);
      out(`${name}: ${source} → ${join(dir, name)}`);
    } else {
      const setting = name === 'admin-token' ? 'QUEUEBELL_ADMIN_TOKEN' : 'QUEUEBELL_MASTER_KEY';
      out(`${name}: not in the data dir (${setting} sets it) — keep that value with this backup`);
    }
  }
}

export function registerBackupCommand(program: Command): void {
  program
    .command('backup <dir>')
    .description(
      'Copy both SQLite databases (while the services run) and the key files of the data dir into <dir>; for PostgreSQL it says to use pg_dump.',
    )
    .action(async (dir: string) => backupDataDir(loadConfig(), dir, (line) => console.log(line)));
}
