/**
 * Every database test on every engine: `describeEachEngine` runs a suite once on a
 * fresh SQLite file and once in a fresh PostgreSQL database that is dropped afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, inject } from 'vitest';
import type { Engine } from '../../src/platform/db/database.js';

export interface TestDatabase {
  engine: Engine;
  /** What `openDatabase({target})` takes. */
  target: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(engine: Engine): Promise<TestDatabase> {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'queuebell-test-'));
    return { engine, target: join(dir, 'test.sqlite'), drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const adminUrl = inject('pgAdminUrl');
  const name = `qb_test_${randomBytes(6).toString('hex')}`;
  await withAdminClient(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    engine,
    target: url.toString(),
    drop: () => withAdminClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => {}),
  };
}

async function withAdminClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export function enginesUnderTest(): Engine[] {
  return inject('pgAvailable') ? ['sqlite', 'postgres'] : ['sqlite'];
}

/** Declares the suite once per engine; the body gets the engine name. */
export function describeEachEngine(title: string, body: (engine: Engine) => void): void {
  for (const engine of enginesUnderTest()) {
    describe(`${title} [${engine}]`, () => body(engine));
  }
}
