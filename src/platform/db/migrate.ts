import { Migrator, sql, type Kysely, type Migration } from 'kysely';
import { engineOf } from './engine-of.js';

/**
 * Applies every pending migration of one service; each service keeps its own migration table.
 * Several processes may start at once against one database. On PostgreSQL Kysely's migrator holds
 * an advisory lock while it migrates; on SQLite it takes no lock across processes, so the whole run
 * happens inside BEGIN IMMEDIATE: the first process migrates, the others wait for the write lock
 * and then find nothing left to apply.
 */
export async function migrateToLatest(db: Kysely<any>, migrations: Record<string, Migration>, tableName: string): Promise<string[]> {
  const migrate = async (on: Kysely<any>): Promise<string[]> => {
    const migrator = new Migrator({
      db: on,
      provider: { getMigrations: async () => migrations },
      migrationTableName: tableName,
      migrationLockTableName: `${tableName}_lock`,
    });
    const { error, results } = await migrator.migrateToLatest();
    if (error) throw error instanceof Error ? error : new Error(String(error));
    return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  };
  if (engineOf(db) === 'postgres') return migrate(db);
  return db.connection().execute(async (connection) => {
    await beginImmediate(connection);
    try {
      const applied = await migrate(connection);
      await sql`commit`.execute(connection);
      return applied;
    } catch (error) {
      await sql`rollback`.execute(connection).catch(() => {});
      throw error;
    }
  });
}

const WRITE_LOCK_WAIT_MS = 120_000;

/** BEGIN IMMEDIATE waits busy_timeout for the write lock; another process's migrations may take longer. */
async function beginImmediate(connection: Kysely<any>): Promise<void> {
  const deadline = Date.now() + WRITE_LOCK_WAIT_MS;
  for (;;) {
    try {
      await sql`begin immediate`.execute(connection);
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
