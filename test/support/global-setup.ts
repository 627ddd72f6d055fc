/**
 * Runs once before the suite: finds out whether PostgreSQL is reachable. Where it is not, the
 * PostgreSQL half of every engine suite is skipped and this says so loudly; where CI made it
 * mandatory (QUEUEBELL_TEST_PG=required), an unreachable server fails the run instead.
 */
import pg from 'pg';
import type { TestProject } from 'vitest/node';

export const PG_ADMIN_URL = process.env.QUEUEBELL_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export default async function setup(project: TestProject): Promise<void> {
  const required = process.env.QUEUEBELL_TEST_PG === 'required';
  let available = false;
  let reason = '';
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    available = true;
  } catch (error) {
    reason = (error as Error).message;
  } finally {
    await client.end().catch(() => {});
  }
  if (!available && required) {
    throw new Error(`QUEUEBELL_TEST_PG=required but PostgreSQL at ${PG_ADMIN_URL} is not reachable: ${reason}`);
  }
  if (!available) {
    const bar = '!'.repeat(78);
    console.warn(
      `\n${bar}\n!! PostgreSQL SUITE SKIPPED: ${PG_ADMIN_URL} is not reachable (${reason}).\n!! Only the SQLite half of the engine suites ran. Set QUEUEBELL_TEST_PG_URL or start PostgreSQL.\n${bar}\n`,
    );
  }
  project.provide('pgAvailable', available);
  project.provide('pgAdminUrl', PG_ADMIN_URL);
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgAvailable: boolean;
    pgAdminUrl: string;
  }
}
