import type { QueueDb } from '../types.js';
import type { Kiosk } from '../schema.js';

export function insertKiosk(db: QueueDb, kiosk: Kiosk): Promise<unknown> {
  return db.insertInto('kiosks').values(kiosk).execute();
}

export function findActiveKioskByHash(db: QueueDb, keyHash: string): Promise<Kiosk | undefined> {
  return db.selectFrom('kiosks').selectAll().where('key_hash', '=', keyHash).where('revoked_at', 'is', null).executeTakeFirst();
}

export function findKiosk(db: QueueDb, kioskId: string): Promise<Kiosk | undefined> {
  return db.selectFrom('kiosks').selectAll().where('id', '=', kioskId).executeTakeFirst();
}

export function listKiosksForPlace(db: QueueDb, placeId: string): Promise<Kiosk[]> {
  return db.selectFrom('kiosks').selectAll().where('place_id', '=', placeId).orderBy('created_at').execute();
}

export async function revokeKiosk(db: QueueDb, kioskId: string, now: number): Promise<void> {
  await db.updateTable('kiosks').set({ revoked_at: now }).where('id', '=', kioskId).where('revoked_at', 'is', null).execute();
}
