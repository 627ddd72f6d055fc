/**
 * Fair use of a queue (docs/security.md §Fair use): one person cannot fill a queue. Two kinds of
 * limit, both from the queue's settings and both only for bookings with a user token (a company
 * backend with a server key is trusted to book for many people):
 * - open tickets per user and per phone number or e-mail address, counted inside the booking's
 *   transaction after the queue's label counter is taken, which serialises the bookings of a
 *   queue: two concurrent bookings cannot both see "none open";
 * - booking budgets per hour per client address and per booking key, counted in this process.
 */
import { AppError } from '../../contract/errors.js';
import { LruMap } from '../../platform/lru-map.js';
import type { QueueDb } from '../db/types.js';
import { countOpenTicketsOfHolder, findOldestOpenTicketOfHolder, type TicketHolder } from '../db/queries/tickets.js';
import type { QueueSettings } from '../entities/queue-settings.js';
import type { Contact } from './contact.js';

/** Counters held at once; past it the least recently used go (an attacker's many addresses cannot grow memory). */
const BUDGET_MAX_ENTRIES = 100_000;
const HOUR_MS = 3_600_000;

/** Throws TOO_MANY_OPEN_TICKETS when the user, the phone or the e-mail holds the queue's limit of open tickets. */
export async function assertOpenTicketLimits(
  db: QueueDb,
  queueId: string,
  settings: QueueSettings,
  userId: string,
  contact: Pick<Contact, 'phone' | 'mail'>,
): Promise<void> {
  const holders: Array<{ holder: TicketHolder; limit: number | null; field: string }> = [
    { holder: { column: 'user_id', value: userId }, limit: settings.maxOpenTicketsPerUser, field: 'user' },
  ];
  if (contact.phone)
    holders.push({ holder: { column: 'phone', value: contact.phone }, limit: settings.maxOpenTicketsPerContact, field: 'userData.phone' });
  if (contact.mail)
    holders.push({ holder: { column: 'mail', value: contact.mail }, limit: settings.maxOpenTicketsPerContact, field: 'userData.mail' });
  for (const { holder, limit, field } of holders) {
    if (limit === null) continue;
    if ((await countOpenTicketsOfHolder(db, queueId, holder, limit)) < limit) continue;
    const first = (await findOldestOpenTicketOfHolder(db, queueId, holder))!;
    const own = first.user_id === userId;
    throw new AppError(
      'TOO_MANY_OPEN_TICKETS',
      own
        ? `You already hold ticket ${first.label} in this queue; cancel it or wait until it is served.`
        : `The ${field === 'userData.phone' ? 'phone number' : 'e-mail address'} already holds ticket ${first.label} in this queue.`,
      // Another user's ticket is named by its label only: its id would reach that user's ticket routes.
      { field, limit, label: first.label, ...(own ? { ticketId: first.id } : {}) },
    );
  }
}

/** Fixed one-hour windows of bookings per queue and client address, and per queue and booking key. */
export class BookingBudgets {
  private readonly counts = new LruMap<string, { window: number; count: number }>(BUDGET_MAX_ENTRIES);

  constructor(private readonly now: () => number) {}

  /** Counts one booking; RATE_LIMITED with Retry-After once either budget of the queue is spent. */
  charge(queueId: string, settings: QueueSettings, address: string, keyId: string): void {
    const now = this.now();
    const window = Math.floor(now / HOUR_MS);
    const over =
      this.spend(`a|${queueId}|${addressBucket(address)}`, window, settings.bookingsPerAddressPerHour) ||
      this.spend(`k|${queueId}|${keyId}`, window, settings.bookingsPerKeyPerHour);
    if (over) {
      const retryAfter = Math.max(1, Math.ceil(((window + 1) * HOUR_MS - now) / 1000));
      throw new AppError('RATE_LIMITED', `Too many bookings into this queue from here; retry in ${retryAfter} s.`, undefined, {
        'retry-after': String(retryAfter),
      });
    }
  }

  /** True when the budget was already spent; the booking is not counted then. */
  private spend(key: string, window: number, limit: number | null): boolean {
    if (limit === null) return false;
    const entry = this.counts.get(key);
    const count = entry && entry.window === window ? entry.count : 0;
    if (count >= limit) return true;
    this.counts.set(key, { window, count: count + 1 });
    return false;
  }
}

/**
 * The unit one client is counted by: an IPv4 address, or the /64 of an IPv6 address, since one
 * subscriber usually holds a whole /64.
 */
export function addressBucket(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!address.includes(':')) return address;
  const [head = '', tail = ''] = address.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
