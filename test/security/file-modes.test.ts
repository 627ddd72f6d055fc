/** SQLite files hold personal data: a new data directory is 0700, new database files 0600. */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, expect, it } from 'vitest';
import { openDatabase } from '../../src/platform/db/database.js';

const root = mkdtempSync(join(tmpdir(), 'queuebell-modes-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

it.skipIf(process.platform === 'win32')(
  'creates the directory 0700 and the database, WAL and SHM files 0600 under a permissive umask',
  async () => {
    const previous = process.umask(0o022);
    try {
      const file = join(root, 'data', 'queue.sqlite');
      const database = openDatabase<Record<string, never>>({ target: file });
      await sql`create table t (x integer)`.execute(database.db);
      await sql`insert into t values (1)`.execute(database.db);
      const modes = Object.fromEntries(
        ['', '-wal', '-shm'].map((suffix) => [`queue.sqlite${suffix}`, statSync(file + suffix).mode & 0o777]),
      );
      expect({ dir: statSync(join(root, 'data')).mode & 0o777, ...modes }).toEqual({
        dir: 0o700,
        'queue.sqlite': 0o600,
        'queue.sqlite-wal': 0o600,
        'queue.sqlite-shm': 0o600,
      });
      await database.close();
    } finally {
      process.umask(previous);
    }
  },
);
