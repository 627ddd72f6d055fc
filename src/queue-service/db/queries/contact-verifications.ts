import type { QueueDb } from '../types.js';
import type { ContactVerificationTable } from '../schema.js';
import type { Selectable } from 'kysely';

type ContactVerification = Selectable<ContactVerificationTable>;

export function insertContactVerification(db: QueueDb, row: ContactVerification): Promise<unknown> {
  return db.insertInto('contact_verifications').values(row).execute();
}

/** The user's newest code for this address. */
export function findLatestVerification(
  db: QueueDb,
  userId: string,
  channel: 'sms' | 'email',
  address: string,
): Promise<ContactVerification | undefined> {
  return db
    .selectFrom('contact_verifications')
    .selectAll()
    .where('user_id', '=', userId)
    .where('channel', '=', channel)
    .where('address', '=', address)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Whether the user proved this address since `since`. */
export async function hasVerifiedContact(
  db: QueueDb,
  userId: string,
  channel: 'sms' | 'email',
  address: string,
  since: number,
): Promise<boolean> {
  const row = await db
    .selectFrom('contact_verifications')
    .select('id')
    .where('user_id', '=', userId)
    .where('channel', '=', channel)
    .where('address', '=', address)
    .where('verified_at', '>=', since)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Codes sent since `since` to this address, or to any address by this user. */
export async function countCodesSent(db: QueueDb, by: { userId: string } | { address: string }, since: number): Promise<number> {
  const row = await db
    .selectFrom('contact_verifications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('userId' in by ? 'user_id' : 'address', '=', 'userId' in by ? by.userId : by.address)
    .where('created_at', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function recordCodeAttempt(db: QueueDb, id: string, verifiedAt: number | null): Promise<void> {
  await db
    .updateTable('contact_verifications')
    .set((eb) => (verifiedAt === null ? { attempts: eb('attempts', '+', 1) } : { verified_at: verifiedAt }))
    .where('id', '=', id)
    .execute();
}
