import { CompiledQuery } from 'kysely';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../src/platform/db/database.js';
import { notifyChannel } from '../../../src/platform/db/notify.js';
import { Signal } from '../../../src/platform/signal.js';
import { WorkerEngine, type ClaimRound, type EngineOptions } from '../../../src/platform/workers/engine.js';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../../support/engines.js';

/** A policy over an in-memory backlog: each claim takes up to `limit` units and holds them until answered. */
class Backlog {
  waiting = 0;
  claims: number[] = [];
  held: (() => void)[] = [];
  flushed = 0;
  aborted = 0;
  engine!: WorkerEngine;

  async claim(limit: number): Promise<ClaimRound> {
    const taken = Math.min(limit, this.waiting);
    this.waiting -= taken;
    this.claims.push(taken);
    for (let i = 0; i < taken; i += 1) {
      this.engine.take(1);
      this.engine.track(new Promise<void>((answered) => this.held.push(answered)).then(() => this.engine.give(1)));
    }
    return { progressed: taken > 0, more: taken === limit };
  }

  answerAll(): void {
    for (const answer of this.held.splice(0)) answer();
  }
}

const logger = pino({ level: 'silent' });
const until = async (condition: () => boolean): Promise<void> => {
  for (let i = 0; i < 200 && !condition(); i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
};

function startEngine(backlog: Backlog, options: Partial<EngineOptions> = {}): WorkerEngine {
  backlog.engine = new WorkerEngine(
    {
      name: 'test worker',
      logger,
      batchSize: 10,
      capacity: 100,
      minClaim: 1,
      pollIntervalMs: 600_000,
      graceMs: 50,
      afterGrace: 'leave',
      ...options,
    },
    {
      claim: (limit) => backlog.claim(limit),
      flush: async () => {
        backlog.flushed += 1;
      },
      abort: () => {
        backlog.aborted += 1;
        backlog.answerAll();
      },
    },
  );
  void backlog.engine.start();
  return backlog.engine;
}

describe('the worker engine', () => {
  const running: WorkerEngine[] = [];
  afterEach(async () => {
    for (const engine of running.splice(0)) await engine.stop();
  });

  it('claims at once on an in-process signal, with a poll far away', async () => {
    const backlog = new Backlog();
    const signal = new Signal();
    running.push(startEngine(backlog, { signals: [signal] }));
    await until(() => backlog.claims.length === 1);
    backlog.waiting = 3;
    signal.notify();
    await until(() => backlog.claims.length === 2);
    expect(backlog.claims).toEqual([0, 3]);
  });

  it('claims batch after batch while each batch comes back full', async () => {
    const backlog = new Backlog();
    backlog.waiting = 25;
    running.push(startEngine(backlog));
    await until(() => backlog.claims.length === 3);
    expect(backlog.claims).toEqual([10, 10, 5]);
  });

  it('waits for room before claiming again, and claims when work is answered', async () => {
    const backlog = new Backlog();
    backlog.waiting = 30;
    running.push(startEngine(backlog, { capacity: 15, minClaim: 5 }));
    await until(() => backlog.claims.length === 2);
    await new Promise((resolve) => setTimeout(resolve, 50));
    // 15 in flight after 10 + 5: no claim until slots are given back.
    expect(backlog.claims).toEqual([10, 5]);
    backlog.answerAll();
    await until(() => backlog.claims.length === 4);
    expect(backlog.claims.slice(2)).toEqual([10, 5]);
  });

  it('stops by waiting for work in flight, then records what it gathered', async () => {
    const backlog = new Backlog();
    backlog.waiting = 2;
    const engine = startEngine(backlog, { graceMs: 10_000 });
    await until(() => backlog.held.length === 2);
    const stopped = engine.stop();
    setTimeout(() => backlog.answerAll(), 20);
    await stopped;
    expect(backlog.held).toHaveLength(0);
    expect(backlog.flushed).toBe(1);
    expect(engine.reserve(1)).toBe(0);
  });

  it('after the grace period aborts work in flight when told to, or leaves it to its lease', async () => {
    const aborting = new Backlog();
    aborting.waiting = 1;
    const first = startEngine(aborting, { graceMs: 20, afterGrace: 'abort' });
    await until(() => aborting.held.length === 1);
    await first.stop();
    expect(aborting.aborted).toBe(1);

    const leaving = new Backlog();
    leaving.waiting = 1;
    const second = startEngine(leaving, { graceMs: 20, afterGrace: 'leave' });
    await until(() => leaving.held.length === 1);
    await second.stop();
    expect(leaving.aborted).toBe(0);
    expect(leaving.held).toHaveLength(1);
    expect(leaving.flushed).toBe(1);
  });

  it('waits no longer than the policy says the next work falls due', async () => {
    let claims = 0;
    const engine = new WorkerEngine(
      { name: 'timed', logger, batchSize: 10, capacity: 10, minClaim: 1, pollIntervalMs: 600_000, graceMs: 0, afterGrace: 'leave' },
      {
        claim: async () => ({ progressed: false, more: false, dueInMs: ++claims === 1 ? 20 : 600_000 }),
        flush: async () => {},
      },
    );
    running.push(engine);
    void engine.start();
    await until(() => claims === 2);
  });
});

describeEachEngine('the worker engine listening for NOTIFY', (engine) => {
  let testDb: TestDatabase;
  let database: Database<any>;
  beforeAll(async () => {
    testDb = await createTestDatabase(engine);
    database = openDatabase({ target: testDb.target });
  });
  afterAll(async () => {
    await database.close();
    await testDb.drop();
  });

  it('sends nothing on SQLite, where one process owns the file', async () => {
    await expect(notifyChannel(database.db, 'qb_test_work')).resolves.toBeUndefined();
  });

  it.runIf(engine === 'postgres')('claims on a NOTIFY, and again each time LISTEN comes back after a loss', async () => {
    const backlog = new Backlog();
    const worker = startEngine(backlog, { listen: { pool: database.pgPool!, channel: 'qb_test_work', purpose: 'test work', retryMs: 20 } });
    await worker.start();
    // The first claim, and the one LISTEN taking effect asks for.
    await until(() => backlog.claims.length >= 2);
    const before = backlog.claims.length;
    await notifyChannel(database.db, 'qb_test_work');
    await until(() => backlog.claims.length === before + 1);
    await database.db.executeQuery(
      CompiledQuery.raw(
        `select pg_terminate_backend(pid) from pg_stat_activity where query = 'LISTEN qb_test_work' and datname = current_database()`,
        [],
      ),
    );
    // Nobody sent a NOTIFY: only listening again can make this claim happen.
    await until(() => backlog.claims.length === before + 2);
    await worker.stop();
  });
});
