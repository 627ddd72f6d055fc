import type { QueueDb } from '../types.js';

/** The JSON of the one pages_settings row, or null when nobody set the pages up yet. */
export async function readPagesSettings(db: QueueDb): Promise<string | null> {
  const row = await db.selectFrom('pages_settings').select('settings').where('id', '=', 1).executeTakeFirst();
  return row?.settings ?? null;
}

export async function writePagesSettings(db: QueueDb, settings: string, now: number): Promise<void> {
  await db
    .insertInto('pages_settings')
    .values({ id: 1, settings, updated_at: now })
    .onConflict((oc) => oc.column('id').doUpdateSet({ settings, updated_at: now }))
    .execute();
}
