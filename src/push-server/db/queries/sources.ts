/** SQL on `sources`: the senders allowed to post messages into an app. */
import type { Insertable, Selectable } from 'kysely';
import type { PushDb } from '../connect.js';
import type { SourceTable } from '../schema.js';

export type SourceRow = Selectable<SourceTable>;

export async function insertSource(db: PushDb, row: Insertable<SourceTable>): Promise<void> {
  await db.insertInto('sources').values(row).execute();
}

export function listSourcesOfApp(db: PushDb, appId: string): Promise<SourceRow[]> {
  return db.selectFrom('sources').selectAll().where('app_id', '=', appId).orderBy('created_at').execute();
}

export function findSourceOfApp(db: PushDb, appId: string, sourceId: string): Promise<SourceRow | undefined> {
  return db.selectFrom('sources').selectAll().where('app_id', '=', appId).where('id', '=', sourceId).executeTakeFirst();
}

export async function updateSourceSecretsOfApp(db: PushDb, appId: string, sourceId: string, sealed: string, now: number): Promise<void> {
  await db
    .updateTable('sources')
    .set({ secrets: sealed, updated_at: now })
    .where('app_id', '=', appId)
    .where('id', '=', sourceId)
    .execute();
}

export async function deleteSourceOfApp(db: PushDb, appId: string, sourceId: string): Promise<boolean> {
  const result = await db.deleteFrom('sources').where('app_id', '=', appId).where('id', '=', sourceId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Sets (or, with null, clears) where the source's receipts go. */
export async function updateSourceReceiptsOfApp(
  db: PushDb,
  appId: string,
  sourceId: string,
  target: { url: string; sealedSecret: string } | null,
  now: number,
): Promise<void> {
  await db
    .updateTable('sources')
    .set({ receipt_url: target?.url ?? null, receipt_secret: target?.sealedSecret ?? null, updated_at: now })
    .where('app_id', '=', appId)
    .where('id', '=', sourceId)
    .execute();
}
