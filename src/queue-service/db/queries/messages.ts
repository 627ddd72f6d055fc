import type { QueueDb } from '../types.js';
import type { Message, MessageAttempt, MessageStatus, NewMessage } from '../schema.js';

export async function insertMessages(db: QueueDb, messages: NewMessage[]): Promise<void> {
  if (messages.length > 0) await db.insertInto('messages').values(messages).execute();
}

export interface MessageFilter {
  companyId?: string;
  ticketId?: string;
  status?: MessageStatus;
  destinationId?: string;
  channel?: string;
  from?: number;
  to?: number;
  /** Keyset pagination: messages created before this id (ids sort by creation). */
  before?: string;
  limit: number;
}

export function listMessages(db: QueueDb, filter: MessageFilter): Promise<Message[]> {
  let query = db.selectFrom('messages').selectAll();
  if (filter.companyId) query = query.where('company_id', '=', filter.companyId);
  if (filter.ticketId) query = query.where('ticket_id', '=', filter.ticketId);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.destinationId) query = query.where('destination_id', '=', filter.destinationId);
  if (filter.channel) query = query.where('channel', '=', filter.channel as Message['channel']);
  if (filter.from !== undefined) query = query.where('created_at', '>=', filter.from);
  if (filter.to !== undefined) query = query.where('created_at', '<', filter.to);
  if (filter.before) query = query.where('id', '<', filter.before);
  return query.orderBy('id', 'desc').limit(filter.limit).execute();
}

export function findMessage(db: QueueDb, messageId: string): Promise<Message | undefined> {
  return db.selectFrom('messages').selectAll().where('id', '=', messageId).executeTakeFirst();
}

export function listAttemptsOfMessage(db: QueueDb, messageId: string): Promise<MessageAttempt[]> {
  return db.selectFrom('message_attempts').selectAll().where('message_id', '=', messageId).orderBy('started_at').orderBy('id').execute();
}
