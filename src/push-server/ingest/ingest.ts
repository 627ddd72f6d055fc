/**
 * Step ③: a sender posts `{pushId, message}`; the push server checks who sent it, reads it, and
 * answers 2xx only once the message and its push jobs are committed. Checks run cheapest and most
 * damning first (app, sender, body), and nothing is written until all of them pass.
 *
 * Two doors (docs/design.md §Push server): the per-app route names the app in its URL; the
 * server-wide route finds it from the pushId, unique across the push server, and then checks the
 * sender against that app's sources — a sender is a source of every app it posts into.
 */
import { AppError } from '../../contract/errors.js';
import { activeTraceparent } from '../../platform/tracing/tracing.js';
import type { NotificationBody } from '../../contract/message.js';
import type { PushDeps } from '../deps.js';
import { findAppOfPushId } from '../db/queries/push-ids.js';
import { authenticateSender, checkSenderHeaders, type Headers } from './authenticate.js';
import type { IngestResult } from './fan-out.js';
import { deadlineOf } from './deadline.js';
import { compactTicket, parseMessageBody } from './message-body.js';

export interface IngestRequest {
  appId: string;
  headers: Headers;
  body: Buffer;
}

export async function ingestMessage(deps: PushDeps, request: IngestRequest): Promise<IngestResult> {
  if (!(await deps.apps.row(request.appId))) throw new AppError('APP_NOT_FOUND');
  return ingestInto(deps, request.appId, request.headers, request.body, null);
}

/** The server-wide route: the app is the one holding the body's pushId. */
export async function ingestMessageByPushId(deps: PushDeps, request: Omit<IngestRequest, 'appId'>): Promise<IngestResult> {
  const { headers, body } = request;
  checkSenderHeaders(headers, deps.clock.now());
  const parsed = parseMessageBody(body);
  const appId = await findAppOfPushId(deps.db, parsed.pushId);
  if (!appId) {
    // No app to record it under, and no source to prove the sender against: nothing is written.
    deps.metrics.ingested.inc({ app: '', status: 'unknown_push_id' });
    return { messageId: single(headers['webhook-id']) ?? '', status: 'unknown_push_id', pushes: 0, duplicate: false };
  }
  return ingestInto(deps, appId, headers, body, parsed);
}

async function ingestInto(
  deps: PushDeps,
  appId: string,
  headers: Headers,
  body: Buffer,
  read: NotificationBody | null,
): Promise<IngestResult> {
  const now = deps.clock.now();
  const sender = authenticateSender(await deps.sources.of(appId), headers, body, now);
  const parsed = read ?? parseMessageBody(body);
  const deliverBy = deadlineOf(headers, now, sender);
  const result = await deps.ingest.write({
    appId,
    sourceId: sender.sourceId,
    webhookId: sender.webhookId,
    pushId: parsed.pushId,
    action: parsed.message.action,
    content: parsed.message.content,
    ticket: compactTicket(parsed.message.data, sender.webhookId),
    deliverBy,
    // The ingest request's span: the push and its provider request continue this trace.
    traceparent: activeTraceparent(),
  });
  deps.metrics.ingested.inc({ app: appId, status: result.duplicate ? 'duplicate' : result.status });
  return result;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
