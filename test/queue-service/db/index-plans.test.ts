/**
 * The indexes the hot reads rely on, as SQLite's planner picks them (docs/design.md §Storage). An
 * embedded database has no statistics, and a read that silently falls back to another index costs a
 * booking milliseconds: the fair-use count once walked every open ticket of the queue.
 */
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect, type CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../../src/platform/db/migrate.js';
import { queueServiceMigrations } from '../../../src/queue-service/db/migrations/index.js';
import { countSendsToRecipient } from '../../../src/queue-service/db/queries/messages.js';
import { companiesTexting } from '../../../src/queue-service/db/queries/sms-contacts.js';
import { countOpenTicketsOfHolder, listTicketsForUser } from '../../../src/queue-service/db/queries/tickets.js';
import type { QueueServiceSchema } from '../../../src/queue-service/db/schema.js';

describe('the indexes of hot reads on SQLite', () => {
  let raw: SqliteDatabase.Database;
  let db: Kysely<QueueServiceSchema>;
  let ran: CompiledQuery[] = [];

  beforeAll(async () => {
    raw = new SqliteDatabase(':memory:');
    db = new Kysely({ dialect: new SqliteDialect({ database: raw }), log: (event) => void ran.push(event.query) });
    await migrateToLatest(db, queueServiceMigrations, 'queuebell_queue_migrations');
  });
  afterAll(async () => {
    await db.destroy();
  });

  /** The plans of the queries `read` runs, one line each. */
  const plansOf = async (read: () => Promise<unknown>): Promise<string[]> => {
    ran = [];
    await read();
    return ran.map((query) => {
      const rows = raw.prepare(`EXPLAIN QUERY PLAN ${query.sql}`).all(...(query.parameters as unknown[])) as Array<{ detail: string }>;
      return rows.map((row) => row.detail).join(' | ');
    });
  };

  /** The plan of the one query `read` runs. */
  const planOf = async (read: () => Promise<unknown>): Promise<string> => {
    const plans = await plansOf(read);
    expect(plans).toHaveLength(1);
    return plans[0]!;
  };

  it("counts a user's open tickets in a queue on their index alone", async () => {
    const plan = await planOf(() => countOpenTicketsOfHolder(db, 'que_1', { column: 'user_id', value: 'usr_1' }, 3));
    expect(plan).toContain('COVERING INDEX tickets_user_queue (user_id=? AND queue_id=? AND state<?)');
  });

  it("counts a phone number's and an address's open tickets on their own indexes", async () => {
    expect(await planOf(() => countOpenTicketsOfHolder(db, 'que_1', { column: 'phone', value: '+33600000000' }, 3))).toContain(
      'INDEX tickets_phone',
    );
    expect(await planOf(() => countOpenTicketsOfHolder(db, 'que_1', { column: 'mail', value: 'a@example.com' }, 3))).toContain(
      'INDEX tickets_open_mail',
    );
  });

  it("lists a person's tickets by their index", async () => {
    expect(await planOf(() => listTicketsForUser(db, 'usr_1'))).toContain('INDEX tickets_user_queue (user_id=?)');
  });

  it('counts texts and mails to one recipient, and finds who texts a number, on the contacts-only index', async () => {
    expect(await planOf(() => countSendsToRecipient(db, 'sms', '+33600000000', 1, 0))).toContain('INDEX messages_contact_recipient');
    expect((await plansOf(() => companiesTexting(db, '+33600000000', 0))).join(' ')).toContain('INDEX messages_contact_recipient');
  });
});
