/**
 * The prepare stage: for a claimed batch, load the devices and messages in two queries, then turn
 * each job into a provider request — or settle it at once when it is too late, has nothing to send
 * to, or cannot be built within the provider's limits.
 */
import { parseJsonText } from '../../platform/json-text.js';
import type { AppCache } from '../apps/app-cache.js';
import type { PushDb } from '../db/connect.js';
import { findDevicesByIds, type DeviceRow } from '../db/queries/devices.js';
import { findMessagesByIds, type MessageRow } from '../db/queries/messages.js';
import type { PushJobRow } from '../db/queries/push-jobs.js';
import { isOutcome, type AppContext, type PreparedPush, type Provider, type ProviderName } from '../providers/provider.js';
import type { JobOutcome } from './job-outcome.js';
import { renderNotification } from './render.js';
import { MAX_ATTEMPTS } from './retry-policy.js';

export interface ReadyPush {
  job: PushJobRow;
  provider: Provider;
  prepared: PreparedPush;
}

export interface SettledJob {
  job: PushJobRow;
  outcome: JobOutcome;
}

export interface PrepareContext {
  db: PushDb;
  apps: AppCache;
  providers: Record<ProviderName, Provider>;
  /** Called with each app context seen, so the worker can notice changed credentials. */
  onApp(app: AppContext): void;
}

export async function prepareBatch(
  ctx: PrepareContext,
  jobs: PushJobRow[],
  now: number,
): Promise<{ ready: ReadyPush[]; settled: SettledJob[] }> {
  const [devices, messages] = await Promise.all([
    findDevicesByIds(ctx.db, unique(jobs.map((job) => job.device_id))),
    findMessagesByIds(ctx.db, unique(jobs.map((job) => job.message_id))),
  ]);
  return prepareLoaded(ctx, jobs, new Map(devices.map((d) => [d.id, d])), new Map(messages.map((m) => [m.id, m])), now);
}

/** The same stage for jobs whose device and message are already at hand (handed over by ingest). */
export async function prepareLoaded(
  ctx: PrepareContext,
  jobs: PushJobRow[],
  deviceById: Map<string, DeviceRow>,
  messageById: Map<string, MessageRow>,
  now: number,
): Promise<{ ready: ReadyPush[]; settled: SettledJob[] }> {
  const ready: ReadyPush[] = [];
  const settled: SettledJob[] = [];
  const apps = await appsOf(ctx, jobs);
  for (const job of jobs) {
    const result = prepareJob(ctx, job, apps.get(job.app_id) ?? null, deviceById.get(job.device_id), messageById.get(job.message_id), now);
    if ('prepared' in result) ready.push(result);
    else settled.push(result);
  }
  return { ready, settled };
}

function prepareJob(
  ctx: PrepareContext,
  job: PushJobRow,
  app: AppContext | null,
  device: DeviceRow | undefined,
  message: MessageRow | undefined,
  now: number,
): ReadyPush | SettledJob {
  const settle = (outcome: JobOutcome): SettledJob => ({ job, outcome });
  if (job.deliver_by <= now) return settle({ kind: 'expired', reason: job.last_reason ?? 'deadline passed before sending' });
  if (job.attempts > MAX_ATTEMPTS) return settle({ kind: 'failed', reason: `gave up after ${MAX_ATTEMPTS} attempts` });
  if (!app || !message) return settle({ kind: 'canceled', reason: 'the app or the message no longer exists' });
  if (!device) return settle({ kind: 'canceled', reason: 'the device was removed' });
  const notification = renderNotification({
    app,
    action: message.action,
    content: message.content,
    ticket: parseJsonText(message.ticket),
    deliverBy: job.deliver_by,
    deviceLocale: device.locale,
  });
  const provider = ctx.providers[job.provider];
  const prepared = provider.prepare({
    app,
    notification,
    now,
    device: { deviceId: device.id, token: device.token, environment: device.environment, p256dh: device.p256dh, auth: device.auth },
  });
  return isOutcome(prepared) ? settle(prepared) : { job, provider, prepared };
}

/** Each app of the batch once (a batch is usually one app). */
async function appsOf(ctx: PrepareContext, jobs: PushJobRow[]): Promise<Map<string, AppContext | null>> {
  const apps = new Map<string, AppContext | null>();
  for (const appId of unique(jobs.map((job) => job.app_id))) {
    const app = await ctx.apps.context(appId);
    if (app) ctx.onApp(app);
    apps.set(appId, app);
  }
  return apps;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
