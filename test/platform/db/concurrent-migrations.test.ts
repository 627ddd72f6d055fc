/**
 * Several processes starting at once against one fresh database (three replicas, or a replica and
 * `queuebell migrate`): every migrator succeeds, each migration is applied exactly once, and the
 * schema is whole.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../../../src/platform/db/database.js';
import { queueServiceMigrations } from '../../../src/queue-service/db/migrations/index.js';
import { pushServerMigrations } from '../../../src/push-server/db/migrations/index.js';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../../support/engines.js';

const run = promisify(execFile);
const MIGRATOR = fileURLToPath(new URL('./support/migrate-process.ts', import.meta.url));

describeEachEngine('migrations from several processes at once', (engine) => {
  let queueDatabase: TestDatabase;
  let pushDatabase: TestDatabase;
  beforeAll(async () => {
    queueDatabase = await createTestDatabase(engine);
    pushDatabase = await createTestDatabase(engine);
  });
  afterAll(async () => {
    await queueDatabase.drop();
    await pushDatabase.drop();
  });

  it('lets three migrators run together: all succeed and each migration is applied once', async () => {
    // Loading TypeScript takes each process a few seconds: they all start migrating at one instant.
    const startAt = String(Date.now() + 10_000);
    const runs = await Promise.all(
      [1, 2, 3].map(() =>
        run(process.execPath, ['--import', 'tsx', MIGRATOR, queueDatabase.target, pushDatabase.target, startAt], { timeout: 120_000 }),
      ),
    );
    const applied = runs.map((r) => JSON.parse(r.stdout) as { queue: string[]; push: string[] });

    // Between them the three applied every migration exactly once.
    expect(applied.flatMap((a) => a.queue).sort()).toEqual(Object.keys(queueServiceMigrations).sort());
    expect(applied.flatMap((a) => a.push).sort()).toEqual(Object.keys(pushServerMigrations).sort());

    const expectSchema = async (target: string, migrationTable: string, migrations: Record<string, unknown>, someTables: string[]) => {
      const check = openDatabase<any>({ target });
      try {
        const recorded = await sql<{ name: string }>`select name from ${sql.table(migrationTable)} order by name`.execute(check.db);
        expect(recorded.rows.map((r) => r.name)).toEqual(Object.keys(migrations).sort());
        const tables = (await check.db.introspection.getTables()).map((t) => t.name);
        for (const table of someTables) expect(tables).toContain(table);
      } finally {
        await check.close();
      }
    };
    await expectSchema(queueDatabase.target, 'queuebell_queue_migrations', queueServiceMigrations, ['tickets', 'queues', 'messages']);
    await expectSchema(pushDatabase.target, 'queuebell_push_migrations', pushServerMigrations, ['apps', 'devices', 'push_jobs']);
  }, 180_000);
});
