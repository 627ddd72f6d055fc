/**
 * takeover: two dispatcher processes share one PostgreSQL database while ticket changes arrive at a
 * steady 500/s (outbox rows written directly, with their NOTIFY); one dispatcher is SIGKILLed. For
 * each ticket whose message it held at that moment, the delay is from the kill to the first arrival
 * of a message of that ticket at the receiver: how long the person waited because of the crash.
 * Measured twice in the same run: today's 10 s leases renewed while in flight, with the PostgreSQL
 * liveness lock (docs/design.md §Workers), and the former 60 s leases without it.
 */
import pino from 'pino';
import { systemClock } from '../../src/platform/clock.js';
import { loadConfig } from '../../src/platform/config.js';
import { notifyChannel } from '../../src/platform/db/notify.js';
import { newSortableId } from '../../src/platform/ids.js';
import { Signal } from '../../src/platform/signal.js';
import { createWebhook } from '../../src/queue-service/admin/webhooks.js';
import { migrateQueueDatabase, openQueueDatabase, type QueueDatabase } from '../../src/queue-service/db/connect.js';
import { insertMessages } from '../../src/queue-service/db/queries/messages.js';
import type { NewMessage } from '../../src/queue-service/db/schema.js';
import type { DispatcherOptions } from '../../src/queue-service/dispatch/dispatcher.js';
import { OUTBOX_CHANNEL } from '../../src/queue-service/notifications/outbox.js';
import { startChild, type ChildServer } from '../lib/child.js';
import { createBenchPgDatabase } from '../lib/pg-database.js';
import { percentile, round } from '../lib/stats.js';
import { atMost, type BenchRow, type Scenario } from '../lib/types.js';

const TICKETS = 300;
const TICK_MS = 20;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Phase {
  label: string;
  dispatch: Partial<DispatcherOptions>;
  /** The longest wait for every affected ticket to move again. */
  waitMs: number;
}

interface PhaseResult {
  affected: number;
  delays: number[];
  stalled: number;
}

async function setUp(url: string, receiverUrl: string): Promise<{ database: QueueDatabase; webhookId: string }> {
  const database = openQueueDatabase(url);
  await migrateQueueDatabase(database);
  const config = {
    ...loadConfig({ QUEUEBELL_ALLOW_PRIVATE_WEBHOOKS: '1', QUEUEBELL_LOG_LEVEL: 'warn' }),
    adminToken: 'bench-admin-token-0123456789',
    masterKey: 'bench-master-key-0123456789abcdef0123456789',
  };
  const deps = { database, clock: systemClock, config, logger: pino({ level: 'warn' }), outboxSignal: new Signal() };
  await database.db.insertInto('companies').values({ id: 'cmp_bench', name: 'Bench', created_at: Date.now() }).execute();
  const webhook = await createWebhook(deps, 'cmp_bench', { url: receiverUrl });
  return { database, webhookId: webhook.id };
}

/** Writes `rate` ticket changes a second, round-robin over the tickets, until stopped. */
function startWriter(database: QueueDatabase, webhookId: string, rate: number): () => Promise<void> {
  const versions = new Array<number>(TICKETS).fill(0);
  let next = 0;
  let running = true;
  const perTick = Math.max(1, Math.round((rate * TICK_MS) / 1000));
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      const now = Date.now();
      const rows: NewMessage[] = [];
      for (let i = 0; i < perTick; i++) {
        const t = next++ % TICKETS;
        versions[t] = versions[t]! + 1;
        const ticketId = `tkt_bench${String(t).padStart(5, '0')}`;
        rows.push({
          id: newSortableId('msg', now),
          company_id: 'cmp_bench',
          ticket_id: ticketId,
          queue_id: 'que_bench',
          channel: 'webhook',
          destination_id: webhookId,
          recipient: `push-${t}`,
          action: 'TICKET_BOOKED',
          ticket_version: versions[t]!,
          body: JSON.stringify({ pushId: `push-${t}`, message: { action: 'TICKET_BOOKED', content: 'x', data: { id: ticketId } } }),
          status: 'pending',
          created_at: now,
          deliver_by: now + 3_600_000,
          next_attempt_at: now,
          attempt_count: 0,
          last_error: null,
          delivered_at: null,
          lease_owner: null,
          lease_expires_at: null,
        });
      }
      await database.db.transaction().execute(async (trx) => {
        await insertMessages(trx, rows);
        await notifyChannel(trx, OUTBOX_CHANNEL);
      });
      await sleep(Math.max(0, TICK_MS - (performance.now() - started)));
    }
  })();
  return async () => {
    running = false;
    await loop;
  };
}

async function runPhase(phase: Phase, rate: number, progress: (message: string) => void): Promise<PhaseResult> {
  const pgDatabase = await createBenchPgDatabase('qb_bench_takeover');
  const receiver = await startChild<{ url: string }>(new URL('../servers/takeover-receiver.ts', import.meta.url));
  const { database, webhookId } = await setUp(pgDatabase.url, receiver.info.url);
  const dispatchers: ChildServer<{ workerId: string }>[] = [];
  try {
    for (const name of ['a', 'b']) {
      const dispatch = { ...phase.dispatch, workerId: `wkr_bench_${name}_${phase.label.replace(/\W/g, '')}` };
      dispatchers.push(
        await startChild(new URL('../servers/takeover-dispatcher.ts', import.meta.url), {
          TAKEOVER_DATABASE_URL: pgDatabase.url,
          TAKEOVER_DISPATCH: JSON.stringify(dispatch),
        }),
      );
    }
    const stopWriter = startWriter(database, webhookId, rate);
    await sleep(3_000);
    const [killed] = dispatchers;
    killed!.process.kill('SIGKILL');
    const killedAt = performance.timeOrigin + performance.now();
    const held = await database.db
      .selectFrom('messages')
      .select('ticket_id')
      .distinct()
      .where('status', '=', 'delivering')
      .where('lease_owner', '=', killed!.info.workerId)
      .execute();
    const affected = new Set(held.map((row) => row.ticket_id));
    progress(`${phase.label}: killed one dispatcher holding ${affected.size} tickets; changes go on for 5 s`);
    await sleep(5_000);
    await stopWriter();
    const resumed = new Map<string, number>();
    const until = Date.now() + phase.waitMs;
    while (resumed.size < affected.size && Date.now() < until) {
      for (const [ticketId, at] of await receiver.request<[string, number][]>({ type: 'arrivals' })) {
        if (at > killedAt && affected.has(ticketId) && !resumed.has(ticketId)) resumed.set(ticketId, at - killedAt);
      }
      if (resumed.size < affected.size) await sleep(500);
    }
    return { affected: affected.size, delays: [...resumed.values()].sort((a, b) => a - b), stalled: affected.size - resumed.size };
  } finally {
    await Promise.all([...dispatchers.slice(1).map((d) => d.stop()), receiver.stop()]);
    await database.close();
    await pgDatabase.drop();
  }
}

export const takeoverScenario: Scenario = {
  name: 'takeover',
  description: 'two PostgreSQL dispatchers at a steady 500 changes/s, one SIGKILLed: kill → next arrival of each ticket it held',
  async run(ctx) {
    const rate = Math.round(500 * Math.min(1, ctx.scale));
    const now = await runPhase({ label: '10 s lease + liveness', dispatch: {}, waitMs: 30_000 }, rate, ctx.progress);
    const before = await runPhase(
      { label: '60 s lease, no liveness', dispatch: { leaseMs: 60_000, liveness: false }, waitMs: 90_000 },
      rate,
      ctx.progress,
    );
    const p99 = (r: PhaseResult) => (r.stalled > 0 ? Number.POSITIVE_INFINITY : round(percentile(r.delays, 99)));
    const row = (label: string, r: PhaseResult): BenchRow => ({
      scenario: 'takeover',
      metric: `kill → next arrival p99, ${label}`,
      value: p99(r),
      unit: `ms (${r.affected} tickets held by the killed dispatcher, ${r.stalled} never resumed; p50 ${round(percentile(r.delays, 50))} ms, max ${round(r.delays.at(-1) ?? Number.NaN)} ms; ${rate} changes/s)`,
    });
    return [
      {
        ...row('10 s lease renewed + liveness lock', now),
        ...atMost(p99(now), 5_000),
        ceiling: p99(before),
        ratio: p99(now) / p99(before),
      },
      row('former 60 s lease, no liveness', before),
    ];
  },
};
