/** A phone number as the inbound SMS route sees it: its opt-outs, the companies that text it, its tickets. */
import { sql } from 'kysely';
import type { Ticket } from '../schema.js';
import type { QueueDb } from '../types.js';

export async function optOut(db: QueueDb, companyId: string, phone: string, now: number): Promise<void> {
  await db
    .insertInto('sms_opt_outs')
    .values({ company_id: companyId, phone, opted_out_at: now })
    .onConflict((oc) => oc.columns(['company_id', 'phone']).doNothing())
    .execute();
}

export async function optIn(db: QueueDb, companyId: string, phone: string): Promise<void> {
  await db.deleteFrom('sms_opt_outs').where('company_id', '=', companyId).where('phone', '=', phone).execute();
}

export async function isOptedOut(db: QueueDb, companyId: string, phone: string): Promise<boolean> {
  const row = await db
    .selectFrom('sms_opt_outs')
    .select('phone')
    .where('company_id', '=', companyId)
    .where('phone', '=', phone)
    .executeTakeFirst();
  return row !== undefined;
}

/** The companies whose texts this number may be answering: an SMS sent since `since`, or a ticket with it. */
export async function companiesTexting(db: QueueDb, phone: string, since: number): Promise<Array<{ id: string; name: string }>> {
  const fromMessages = db
    .selectFrom('messages')
    .select('company_id')
    .where('recipient', '=', phone)
    .where('channel', '=', 'sms')
    // Verbatim the predicate of messages_contact_recipient (migration 0020), so a planner may use it.
    .where(sql<boolean>`channel <> 'webhook'`)
    .where('created_at', '>=', since);
  const fromTickets = db.selectFrom('tickets').select('company_id').where('phone', '=', phone).where('booked_at', '>=', since);
  return db
    .selectFrom('companies')
    .select(['id', 'name'])
    .where((eb) => eb.or([eb('id', 'in', fromMessages), eb('id', 'in', fromTickets)]))
    .orderBy('name')
    .execute();
}

/** The number's latest ticket in one of `states`, booked since `since`. */
export function latestTicketOfPhone(db: QueueDb, phone: string, states: number[], since: number): Promise<Ticket | undefined> {
  return db
    .selectFrom('tickets')
    .selectAll()
    .where('phone', '=', phone)
    .where('state', 'in', states as Ticket['state'][])
    .where('booked_at', '>=', since)
    .orderBy('booked_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}
