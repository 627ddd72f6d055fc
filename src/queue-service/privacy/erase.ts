/**
 * Erasing personal data (docs/design.md §Retention), the one module behind both ways it happens:
 * - a person's request (`DELETE /v2/user`, or the admin's `DELETE /admin/companies/{companyId}/users/{userId}`):
 *   every ticket of theirs and its messages, at once; messages still waiting are not sent;
 * - retention (`queuebell purge`, and hourly beside the scheduler): ended tickets and finished
 *   messages older than their company's retention_days.
 * Tickets are erased through the unit of work's erase step; what stays — states, times, labels,
 * message statuses and attempts — keeps the counts and statistics whole.
 */
import { Type } from 'typebox';
import type { QueueServiceDeps } from '../deps.js';
import { listCompanies } from '../db/queries/companies.js';
import { eraseMessages, eraseMessagesOfTickets, finishedMessagesToPurge } from '../db/queries/message-erasure.js';
import { endedTicketsToPurge, ticketIdsOfUser } from '../db/queries/tickets.js';
import { eraseTicketData } from '../tickets/unit-of-work.js';

export interface Erased {
  tickets: number;
  messages: number;
}

const DAY_MS = 86_400_000;
/** Rows erased per transaction: short enough not to hold the SQLite writer for long. */
const PURGE_BATCH = 500;

type Deps = Pick<QueueServiceDeps, 'database' | 'clock'>;

/** Everything personal about one person of one company; erasing again finds nothing left. */
export async function erasePerson(deps: Deps, companyId: string, userId: string): Promise<Erased> {
  const now = deps.clock.now();
  return deps.database.transaction(async (trx) => {
    const ticketIds = await ticketIdsOfUser(trx, companyId, userId);
    const messages = await eraseMessagesOfTickets(trx, companyId, ticketIds, now);
    return { tickets: await eraseTicketData(trx, companyId, ticketIds, now), messages };
  });
}

/** What every company's retention says is due, batch after batch. */
export async function purgeExpiredPersonalData(deps: Deps): Promise<Erased> {
  const total: Erased = { tickets: 0, messages: 0 };
  const now = deps.clock.now();
  for (const company of await listCompanies(deps.database.db)) {
    const before = now - company.retention_days * DAY_MS;
    for (;;) {
      const erased = await deps.database.transaction(async (trx) => {
        const tickets = await endedTicketsToPurge(trx, company.id, before, PURGE_BATCH);
        const messages = await finishedMessagesToPurge(trx, company.id, before, PURGE_BATCH);
        return {
          tickets: await eraseTicketData(trx, company.id, tickets, now),
          messages: await eraseMessages(trx, messages, now),
          more: tickets.length === PURGE_BATCH || messages.length === PURGE_BATCH,
        };
      });
      total.tickets += erased.tickets;
      total.messages += erased.messages;
      if (!erased.more) break;
    }
  }
  return total;
}

/** What an erasure answers: how many tickets and messages it erased now. */
export const ErasedView = Type.Object({
  tickets: Type.Integer({ description: 'Tickets whose personal data was erased now.' }),
  messages: Type.Integer({ description: 'Messages whose body and recipient were erased now (waiting ones will not be sent).' }),
});
