import type { Updateable } from 'kysely';
import type { QueueDb } from '../types.js';
import type { AppointmentType, AppointmentTypeTable } from '../schema.js';

export function insertAppointmentType(db: QueueDb, type: AppointmentType): Promise<unknown> {
  return db.insertInto('appointment_types').values(type).execute();
}

export function findAppointmentType(db: QueueDb, typeId: string): Promise<AppointmentType | undefined> {
  return db.selectFrom('appointment_types').selectAll().where('id', '=', typeId).executeTakeFirst();
}

export function listAppointmentTypesOfQueue(db: QueueDb, queueId: string): Promise<AppointmentType[]> {
  return db.selectFrom('appointment_types').selectAll().where('queue_id', '=', queueId).orderBy('created_at').orderBy('id').execute();
}

export function listAppointmentTypesOfQueues(db: QueueDb, queueIds: string[]): Promise<AppointmentType[]> {
  if (queueIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('appointment_types').selectAll().where('queue_id', 'in', queueIds).orderBy('created_at').orderBy('id').execute();
}

export async function updateAppointmentType(db: QueueDb, typeId: string, changes: Updateable<AppointmentTypeTable>): Promise<boolean> {
  const result = await db.updateTable('appointment_types').set(changes).where('id', '=', typeId).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function deleteAppointmentType(db: QueueDb, typeId: string): Promise<boolean> {
  const result = await db.deleteFrom('appointment_types').where('id', '=', typeId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function hasAppointmentTypes(db: QueueDb, queueId: string): Promise<boolean> {
  return (await db.selectFrom('appointment_types').select('id').where('queue_id', '=', queueId).limit(1).executeTakeFirst()) !== undefined;
}
