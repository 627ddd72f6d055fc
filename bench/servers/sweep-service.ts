/**
 * The scheduler under the sweep benchmark, in its own process, as a worker role runs it: a fresh
 * embedded database (or QUEUEBELL_DATABASE_URL) with `count` open tickets — 70% waiting in line,
 * 10% appointments with a reminder and an alert ahead, 10% on hold and 10% no show, each of the
 * last two with its timeout due — every ticket subscribed to push, so each transition writes its
 * outbox row. Requests:
 * - `{type: 'sweep', at}`: one sweep at that instant; answers its duration and counts;
 * - `{type: 'bare', count, concurrency}`: the ceiling, one single-row update per transaction through
 *   the same group commit, `concurrency` at a time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { ManualClock } from '../../src/platform/clock.js';
import { loadConfig } from '../../src/platform/config.js';
import { Signal } from '../../src/platform/signal.js';
import { buildQueueApp } from '../../src/queue-service/app.js';
import { migrateQueueDatabase, openQueueDatabase } from '../../src/queue-service/db/connect.js';
import type { NewScheduledJob, NewTicket } from '../../src/queue-service/db/schema.js';
import type { QueueServiceDeps } from '../../src/queue-service/deps.js';
import { Scheduler } from '../../src/queue-service/scheduler/scheduler.js';

const MINUTE = 60_000;
const START = Date.parse('2026-03-02T08:00:00Z');
const count = Number(process.argv[2] ?? '100000');
const dataDir = mkdtempSync(join(tmpdir(), 'queuebell-bench-sweep-'));
process.once('exit', () => rmSync(dataDir, { recursive: true, force: true }));
const config = loadConfig({
  ...process.env,
  QUEUEBELL_DATA_DIR: dataDir,
  QUEUEBELL_LOG_LEVEL: 'warn',
  QUEUEBELL_ALLOW_PRIVATE_WEBHOOKS: '1',
});
const database = openQueueDatabase(config.databaseUrl);
await migrateQueueDatabase(database);
const clock = new ManualClock(START);
const deps: QueueServiceDeps = {
  database,
  clock,
  logger: pino({ level: 'warn' }),
  outboxSignal: new Signal(),
  config: { ...config, adminToken: 'bench-admin-token-0123456789', masterKey: 'bench-master-key-0123456789abcdef0123456789' },
};

// The company, its queue and its webhook through the admin API, in process; then the app goes:
// a worker process serves no API and holds no streams.
const app = await buildQueueApp(deps);
const admin = async (url: string, payload: unknown) => {
  const reply = await app.inject({
    method: 'POST',
    url,
    payload: payload as object,
    headers: { authorization: `Bearer ${deps.config.adminToken}` },
  });
  if (reply.statusCode !== 201) throw new Error(`${url}: ${reply.statusCode} ${reply.body}`);
  return reply.json();
};
const company = await admin('/admin/companies', { name: 'Sweep' });
const place = await admin(`/admin/companies/${company.id}/places`, { name: 'Sweep place', timeZone: 'Europe/Paris' });
const queue = await admin(`/admin/places/${place.id}/queues`, {
  name: 'Sweep queue',
  settings: { onHoldTimeoutMinutes: 10, noShowTimeoutMinutes: 30, reminders: [{ id: 1, dayBefore: true, at: '18:00' }] },
});
await admin(`/admin/companies/${company.id}/webhooks`, { url: 'http://127.0.0.1:9/push' });
await app.close();

/** Which kind of open ticket the i-th is. */
function kindOf(i: number): 'waiting' | 'appointment' | 'onhold' | 'noshow' {
  const slot = i % 10;
  return slot < 7 ? 'waiting' : slot === 7 ? 'appointment' : slot === 8 ? 'onhold' : 'noshow';
}

function ticketRow(i: number): NewTicket {
  const kind = kindOf(i);
  const bookedAt = START - 2 * 3_600_000 + i;
  const state = kind === 'onhold' ? 300 : kind === 'noshow' ? 400 : 0;
  return {
    id: `tkt_sweep_${String(i).padStart(7, '0')}`,
    company_id: company.id,
    place_id: place.id,
    queue_id: queue.id,
    user_id: null,
    label: `S${i}`,
    label_day: '2026-03-02',
    label_number: i,
    state,
    lang: 'en_US',
    group_size: 1 + (i % 3),
    source: null,
    is_appointment: kind === 'appointment' ? 1 : 0,
    booked_for: kind === 'appointment' ? START + 2 * 86_400_000 + (i % 100) * MINUTE : null,
    appointment_type_id: null,
    name: null,
    phone: null,
    mail: null,
    push_id: `push-${i}`,
    send_push: 1,
    send_sms: 0,
    send_mail: 0,
    endpoint_id: null,
    recall_count: 0,
    booked_at: bookedAt,
    to_confirm_at: null,
    alerted_at: null,
    called_at: state ? bookedAt : null,
    on_hold_at: state === 300 || state === 400 ? START : null,
    no_show_at: state === 400 ? START : null,
    in_progress_at: null,
    canceled_at: null,
    done_at: null,
    updated_at: START,
    rating: null,
    rating_comment: null,
    version: 3,
  };
}

function jobsOf(ticket: NewTicket, i: number): NewScheduledJob[] {
  const job = (kind: NewScheduledJob['kind'], dueAt: number, ruleId = 0): NewScheduledJob => ({
    id: `job_sweep_${kind}_${i}`,
    company_id: company.id,
    ticket_id: ticket.id,
    kind,
    rule_id: ruleId,
    due_at: dueAt,
    lease_owner: null,
    attempts: 0,
    created_at: START,
  });
  switch (kindOf(i)) {
    case 'onhold':
      return [job('onhold_timeout', START + 10 * MINUTE)];
    case 'noshow':
      return [job('noshow_timeout', START + 30 * MINUTE)];
    case 'appointment':
      return [job('reminder', ticket.booked_for! - 86_400_000, 1), job('appointment_alert', ticket.booked_for! - 15 * MINUTE)];
    default:
      return [];
  }
}

const seedStarted = performance.now();
const BATCH = 400;
const waiting = { tickets: 0, people: 0 };
const appointments = { tickets: 0, people: 0 };
for (let start = 0; start < count; start += BATCH) {
  const tickets = Array.from({ length: Math.min(BATCH, count - start) }, (_, offset) => ticketRow(start + offset));
  const jobs = tickets.flatMap((ticket, offset) => jobsOf(ticket, start + offset));
  for (const ticket of tickets) {
    if (ticket.state !== 0) continue;
    const into = ticket.is_appointment ? appointments : waiting;
    into.tickets += 1;
    into.people += ticket.group_size;
  }
  await database.transaction(async (trx) => {
    await trx.insertInto('tickets').values(tickets).execute();
    if (jobs.length > 0) await trx.insertInto('scheduled_jobs').values(jobs).execute();
  });
}
await database.db
  .insertInto('queue_counters')
  .values({
    queue_id: queue.id,
    fifo_tickets: waiting.tickets,
    fifo_people: waiting.people,
    appointment_tickets: appointments.tickets,
    appointment_people: appointments.people,
  })
  .execute();
const seedSeconds = (performance.now() - seedStarted) / 1000;
const jobCount = Number(
  (
    await database.db
      .selectFrom('scheduled_jobs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
  ).n,
);

const scheduler = new Scheduler(deps, { workerId: 'sch_bench' });

process.on('message', (message: { type?: string; at?: number; count?: number; concurrency?: number }) => {
  if (message?.type === 'sweep') {
    clock.set(message.at!);
    const started = performance.now();
    void scheduler.sweep().then((result) => {
      process.send?.({ type: 'sweep', reply: { ...result, ms: performance.now() - started } });
    });
  }
  if (message?.type === 'bare')
    void bare(message.count!, message.concurrency!).then((ms) => process.send?.({ type: 'bare', reply: { ms } }));
});

/** One single-row update per transaction, `concurrency` in flight: the least a transition costs here. */
async function bare(total: number, concurrency: number): Promise<number> {
  const started = performance.now();
  let next = 0;
  const lane = async () => {
    while (next < total) {
      const id = `tkt_sweep_${String(next++ % count).padStart(7, '0')}`;
      await database.transaction((trx) =>
        trx
          .updateTable('tickets')
          .set({ updated_at: START + 1 })
          .where('id', '=', id)
          .execute(),
      );
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return performance.now() - started;
}

process.send?.({ ready: true, count, jobs: jobCount, seedSeconds, start: START, engine: database.engine });
process.on('SIGTERM', () => void database.close().then(() => process.exit(0)));
