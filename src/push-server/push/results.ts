/**
 * What became of the messages sent to a pushId: each message with the push to every device and
 * its last answer. Messages for unknown pushIds are kept too, so a sender can see they arrived.
 */
import { toIso, toIsoOrNull } from '../../platform/clock.js';
import { listMessagesOfPushId, listRecentMessagesOfApp, type MessageRow } from '../db/queries/messages.js';
import { listJobsOfMessages, type PushJobRow } from '../db/queries/push-jobs.js';
import type { PushDb } from '../db/connect.js';

export async function pushesOfPushId(db: PushDb, appId: string | null, pushId: string, limit: number) {
  const messages = await listMessagesOfPushId(db, appId, pushId, limit);
  return { pushId, messages: await withPushes(db, messages) };
}

export async function recentMessagesOfApp(db: PushDb, appId: string, limit: number, status?: string) {
  return { messages: await withPushes(db, await listRecentMessagesOfApp(db, appId, limit, status)) };
}

async function withPushes(db: PushDb, messages: MessageRow[]) {
  const jobs = await listJobsOfMessages(
    db,
    messages.map((m) => m.id),
  );
  const byMessage = new Map<string, PushJobRow[]>();
  for (const job of jobs) byMessage.set(job.message_id, [...(byMessage.get(job.message_id) ?? []), job]);
  return messages.map((message) => ({
    messageId: message.id,
    webhookId: message.webhook_id,
    appId: message.app_id,
    pushId: message.push_id,
    action: message.action,
    status: message.status,
    receivedAt: toIso(message.received_at),
    deliverBy: toIso(message.deliver_by),
    pushes: (byMessage.get(message.id) ?? []).map(pushView),
  }));
}

function pushView(job: PushJobRow) {
  return {
    pushJobId: job.id,
    deviceId: job.device_id,
    provider: job.provider,
    status: job.status,
    attempts: job.attempts,
    lastStatus: job.last_status,
    lastReason: job.last_reason,
    nextAttemptAt: job.status === 'pending' ? toIso(job.available_at) : null,
    updatedAt: toIso(job.updated_at),
    finishedAt: toIsoOrNull(job.finished_at),
  };
}
