import { Migrator, type Kysely, type Migration } from 'kysely';

/** Applies every pending migration of one service; each service keeps its own migration table. */
export async function migrateToLatest(
  db: Kysely<any>,
  migrations: Record<string, Migration>,
  tableName: string,
): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: tableName,
    migrationLockTableName: `${tableName}_lock`,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
