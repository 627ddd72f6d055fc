/**
 * /readyz proves a write (docs/design.md §Faults): with the heartbeat row locked by someone else,
 * reads still answer (`select 1` would say ready) but the write cannot commit in time, so /readyz
 * answers 503 NOT_READY naming what failed, with Retry-After; once the lock is gone it is 200 again.
 */
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../support/engines.js';
import { QueueHarness, type Reply } from '../support/harness.js';

describeEachEngine('readiness', (engine) => {
  let h: QueueHarness;
  beforeAll(async () => {
    h = await QueueHarness.start(engine);
  });
  afterAll(() => h.close());

  it('answers 503 NOT_READY naming the failed write while writes cannot commit, and 200 once they can', async () => {
    expect((await h.call('GET', '/readyz')).status).toBe(200);
    const release = await holdWriteLock(engine, h.deps.config.databaseUrl);
    let reply: Reply;
    try {
      reply = await h.call('GET', '/readyz');
      expect((await h.call('GET', '/healthz')).status).toBe(200);
    } finally {
      await release();
    }
    expect(reply.status, reply.text).toBe(503);
    expect(reply.body.error.code).toBe('NOT_READY');
    expect(reply.body.error.message).toMatch(
      engine === 'sqlite' ? /does not take writes \(SQLITE_BUSY/ : /did not complete a write within/,
    );
    expect(Number(reply.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await h.call('GET', '/readyz')).status).toBe(200);
  }, 30_000);
});

/** Another connection takes the write lock (SQLite) or locks the heartbeat table (PostgreSQL) until released. */
async function holdWriteLock(engine: string, target: string): Promise<() => Promise<void>> {
  if (engine === 'sqlite') {
    const other = new SqliteDatabase(target);
    other.exec('BEGIN IMMEDIATE');
    return async () => {
      other.exec('ROLLBACK');
      other.close();
    };
  }
  const other = new pg.Client({ connectionString: target });
  await other.connect();
  await other.query('BEGIN');
  await other.query('LOCK TABLE queue_heartbeat IN EXCLUSIVE MODE');
  return async () => {
    await other.query('ROLLBACK');
    await other.end();
  };
}
