/** SQL on `provider_pauses`: an app's provider stops sending after a credential error, until resumed. */
import type { Selectable } from 'kysely';
import type { PushDb } from '../connect.js';
import type { ProviderName, ProviderPauseTable } from '../schema.js';

export type ProviderPauseRow = Selectable<ProviderPauseTable>;

/** The first reason is kept: later failures of the same broken credentials say nothing new. */
export async function pauseProvider(db: PushDb, appId: string, provider: ProviderName, reason: string, now: number): Promise<void> {
  await db
    .insertInto('provider_pauses')
    .values({ app_id: appId, provider, reason, paused_at: now })
    .onConflict((oc) => oc.columns(['app_id', 'provider']).doNothing())
    .execute();
}

export async function resumeProvider(db: PushDb, appId: string, provider: ProviderName): Promise<boolean> {
  const result = await db.deleteFrom('provider_pauses').where('app_id', '=', appId).where('provider', '=', provider).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export function listPausesOfApp(db: PushDb, appId: string): Promise<ProviderPauseRow[]> {
  return db.selectFrom('provider_pauses').selectAll().where('app_id', '=', appId).execute();
}

export function listAllPauses(db: PushDb): Promise<ProviderPauseRow[]> {
  return db.selectFrom('provider_pauses').selectAll().execute();
}
