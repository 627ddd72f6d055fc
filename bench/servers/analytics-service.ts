/**
 * The queue service under the analytics benchmark, in its own process (API role, a fresh embedded
 * database or QUEUEBELL_DATABASE_URL): ten places of two queues and two counters each, then
 * `count` finished tickets written straight into the database over as many days as it takes at
 * 500 visits per place and day — most served, some no-shows, cancellations and appointments, one
 * in twenty recalled (its first call then comes from the history). Requests:
 * - `{type: 'count', placeId, from, to}`: the bare `count(*)` over the same rows a day's report
 *   reads, and over the whole table, timed in this process.
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { startQueueService } from '../../src/queue-service/main.js';
import { migrateQueueDatabase, openQueueDatabase } from '../../src/queue-service/db/connect.js';
import type { NewTicket } from '../../src/queue-service/db/schema.js';
import { apiCaller, benchConfig, BENCH_ADMIN_TOKEN } from './bench-company.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
const PLACES = 10;
const PER_PLACE_DAY = 500;
const count = Number(process.argv[2] ?? '1000000');
const days = Math.ceil(count / (PLACES * PER_PLACE_DAY));
// UTC places: the bench's days are whole UTC days; the report's zone arithmetic is the same for any zone.
const FIRST_DAY = Date.parse('2025-01-01T00:00:00Z');

const config = benchConfig('analytics');
const service = await startQueueService({ config, role: 'api' });
const url = service.url!;
const call = apiCaller(url);
const admin = { authorization: `Bearer ${BENCH_ADMIN_TOKEN}` };
const company = await call('POST', '/admin/companies', { name: 'Analytics' }, admin);
const places: Array<{ id: string; queues: string[]; endpoints: string[] }> = [];
for (let p = 0; p < PLACES; p++) {
  const place = await call('POST', `/admin/companies/${company.id}/places`, { name: `Place ${p}`, timeZone: 'UTC' }, admin);
  const queues = [];
  for (const name of ['Accounts', 'Billing']) queues.push((await call('POST', `/admin/places/${place.id}/queues`, { name }, admin)).id);
  const endpoints = [];
  for (const name of ['Counter 1', 'Counter 2'])
    endpoints.push((await call('POST', `/admin/places/${place.id}/endpoints`, { name, queueIds: queues }, admin)).id);
  places.push({ id: place.id, queues, endpoints });
}

const database = openQueueDatabase(config.databaseUrl);
await migrateQueueDatabase(database);

/** A small deterministic generator: the same tickets every run. */
let seed = 42;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
};

function ticketRow(i: number): { ticket: NewTicket; firstCall: number | null } {
  const place = places[i % PLACES]!;
  const day = Math.floor(i / (PLACES * PER_PLACE_DAY));
  const joinedAt = FIRST_DAY + day * DAY + 8 * 3_600_000 + Math.floor(random() * 10 * 3_600_000);
  const roll = random();
  const appointment = roll >= 0.9;
  const state = roll < 0.75 || appointment ? 700 : roll < 0.85 ? 400 : 600;
  const called = state !== 600;
  const firstCall = called ? joinedAt + Math.floor(random() * 40 * MINUTE) : null;
  const recalled = called && random() < 0.05;
  const calledAt = firstCall === null ? null : recalled ? firstCall + 3 * MINUTE : firstCall;
  const inProgressAt = state === 700 ? calledAt! + MINUTE : null;
  const doneAt = inProgressAt === null ? null : inProgressAt + Math.floor(2 * MINUTE + random() * 10 * MINUTE);
  const updatedAt = doneAt ?? calledAt ?? joinedAt + 5 * MINUTE;
  return {
    firstCall: recalled ? firstCall : null,
    ticket: {
      id: `tkt_an_${String(i).padStart(8, '0')}`,
      company_id: company.id,
      place_id: place.id,
      queue_id: place.queues[i % 2]!,
      user_id: null,
      label: `A${i}`,
      label_day: new Date(FIRST_DAY + day * DAY).toISOString().slice(0, 10),
      label_number: i,
      state,
      lang: 'en_US',
      group_size: 1,
      source: null,
      is_appointment: appointment ? 1 : 0,
      booked_for: appointment ? joinedAt : null,
      appointment_type_id: null,
      name: null,
      phone: null,
      mail: null,
      push_id: null,
      send_push: 0,
      send_sms: 0,
      send_mail: 0,
      endpoint_id: called ? place.endpoints[i % 2]! : null,
      recall_count: recalled ? 1 : 0,
      booked_at: appointment ? joinedAt - 3 * DAY : joinedAt,
      to_confirm_at: null,
      alerted_at: null,
      called_at: calledAt,
      on_hold_at: state === 400 ? calledAt : null,
      no_show_at: state === 400 ? calledAt! + 10 * MINUTE : null,
      in_progress_at: inProgressAt,
      canceled_at: state === 600 ? updatedAt : null,
      done_at: doneAt,
      updated_at: updatedAt,
      rating: null,
      rating_comment: null,
      version: 4,
    },
  };
}

const seedStarted = performance.now();
await (database.engine === 'postgres' ? seedPostgres(config.databaseUrl) : seedSqlite(config.databaseUrl));
await sql`analyze`.execute(database.db);
const seedSeconds = (performance.now() - seedStarted) / 1000;

/** The history row of a recalled ticket's first call (the report's wait starts there). */
function firstCallEvent({ ticket, firstCall }: { ticket: NewTicket; firstCall: number | null }) {
  return {
    ticket_id: ticket.id,
    company_id: ticket.company_id,
    place_id: ticket.place_id,
    queue_id: ticket.queue_id,
    version: 2,
    from_state: 0,
    to_state: 200,
    action: 'TICKET_CALLED',
    actor: 'bench',
    endpoint_id: ticket.endpoint_id,
    at: firstCall,
  };
}

/**
 * SQLite: one transaction on a connection of its own, one prepared INSERT per table run once per
 * row (better-sqlite3 binds the row object's fields by name): a million tickets in seconds.
 */
async function seedSqlite(file: string): Promise<void> {
  const { default: SqliteDatabase } = await import('better-sqlite3');
  const raw = new SqliteDatabase(file);
  raw.pragma('busy_timeout = 10000');
  const insertInto = (table: string, columns: string[]) =>
    raw.prepare(`insert into ${table} (${columns.join(', ')}) values (${columns.map((c) => `@${c}`).join(', ')})`);
  const first = ticketRow(0);
  seed = 42;
  const tickets = insertInto('tickets', Object.keys(first.ticket));
  const events = insertInto('ticket_events', Object.keys(firstCallEvent({ ...first, firstCall: 0 })));
  raw.transaction(() => {
    for (let i = 0; i < count; i++) {
      const row = ticketRow(i);
      tickets.run(row.ticket);
      if (row.firstCall !== null) events.run(firstCallEvent(row));
    }
  })();
  raw.close();
}

/**
 * PostgreSQL: one transaction, 20,000 rows per INSERT … SELECT FROM unnest($1::type[], …) — one
 * array parameter per column, typed from information_schema, so any column the schema has works.
 */
async function seedPostgres(url: string): Promise<void> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const typesOf = async (table: string) =>
    new Map(
      (
        await client.query<{ column_name: string; udt_name: string }>(
          'select column_name, udt_name from information_schema.columns where table_schema = current_schema() and table_name = $1',
          [table],
        )
      ).rows.map((row) => [row.column_name, row.udt_name.replace(/^_/, '')]),
    );
  const tableTypes = { tickets: await typesOf('tickets'), ticket_events: await typesOf('ticket_events') };
  const insertMany = async (table: 'tickets' | 'ticket_events', rows: Record<string, unknown>[]) => {
    if (rows.length === 0) return;
    const columns = Object.keys(rows[0]!);
    const arrays = columns.map((column) => rows.map((row) => row[column] ?? null));
    const casts = columns.map((column, i) => `$${i + 1}::${tableTypes[table].get(column) ?? 'text'}[]`);
    await client.query(`insert into ${table} (${columns.join(', ')}) select * from unnest(${casts.join(', ')})`, arrays);
  };
  const CHUNK = 20_000;
  await client.query('begin');
  try {
    for (let start = 0; start < count; start += CHUNK) {
      const rows = Array.from({ length: Math.min(CHUNK, count - start) }, (_, offset) => ticketRow(start + offset));
      await insertMany(
        'tickets',
        rows.map((row) => row.ticket as Record<string, unknown>),
      );
      await insertMany('ticket_events', rows.filter((row) => row.firstCall !== null).map(firstCallEvent));
    }
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    await client.end();
  }
}

process.on('message', (message: { type?: string; placeId?: string; from?: number; to?: number }) => {
  if (message?.type !== 'count') return;
  void (async () => {
    const time = async (query: () => Promise<unknown>) => {
      const samples: number[] = [];
      for (let i = 0; i < 7; i++) {
        const started = performance.now();
        await query();
        samples.push(performance.now() - started);
      }
      return samples.sort((a, b) => a - b)[3]!;
    };
    const dayRows = await time(() =>
      database.db
        .selectFrom('tickets')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('place_id', '=', message.placeId!)
        .where('booked_at', '>=', message.from!)
        .where('booked_at', '<', message.to!)
        .executeTakeFirst(),
    );
    const allRows = await time(() =>
      database.db
        .selectFrom('tickets')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst(),
    );
    process.send?.({ type: 'count', reply: { dayRows, allRows } });
  })();
});

process.send?.({
  ready: true,
  url,
  engine: database.engine,
  count,
  days,
  seedSeconds,
  placeId: places[0]!.id,
  firstDay: FIRST_DAY,
});
process.on('SIGTERM', () => void Promise.all([database.close(), service.close()]).then(() => process.exit(0)));
