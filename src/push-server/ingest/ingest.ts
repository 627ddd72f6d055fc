/**
 * Step ③: a sender posts `{pushId, message}`; the push server checks who sent it, reads it, and
 * answers 2xx only once the message and its push jobs are committed. Checks run cheapest and most
 * damning first (app, sender, body), and nothing is written until all of them pass.
 */
import { AppError } from '../../contract/errors.js';
import type { PushDeps } from '../deps.js';
import { authenticateSender, type Headers } from './authenticate.js';
import type { IngestResult } from './fan-out.js';
import { deadlineOf } from './deadline.js';
import { compactTicket, parseMessageBody } from './message-body.js';

export interface IngestRequest {
  appId: string;
  headers: Headers;
  body: Buffer;
}

export async function ingestMessage(deps: PushDeps, request: IngestRequest): Promise<IngestResult> {
  const { appId, headers, body } = request;
  if (!(await deps.apps.row(appId))) throw new AppError('APP_NOT_FOUND');
  const now = deps.clock.now();
  const sender = authenticateSender(await deps.sources.of(appId), headers, body, now);
  const parsed = parseMessageBody(body);
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
  });
  deps.metrics.ingested.inc({ app: appId, status: result.duplicate ? 'duplicate' : result.status });
  return result;
}
