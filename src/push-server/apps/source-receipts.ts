/**
 * Where a source's receipts go (docs/design.md §Receipts): a URL on the sender's side and the
 * `whsec_` secret that signs each receipt, sealed at rest. The sender usually generates the secret
 * (the queue service's `POST /admin/webhooks/{webhookId}/receipt-secret`) and it is given here;
 * without one, a new secret is generated and answered once.
 */
import { AppError } from '../../contract/errors.js';
import { SECRET_PREFIX, generateWebhookSecret } from '../../contract/standard-webhooks.js';
import { literalHostProblem } from '../../platform/net/address-policy.js';
import { findSourceOfApp, updateSourceReceiptsOfApp } from '../db/queries/sources.js';
import type { OperationContext } from '../deps.js';

export interface ReceiptTargetInput {
  url: string;
  secret?: string;
}

export async function setSourceReceipts(
  ctx: OperationContext & { allowPrivateEndpoints: boolean },
  appId: string,
  sourceId: string,
  input: ReceiptTargetInput,
): Promise<{ sourceId: string; receiptUrl: string; receiptSecret: string }> {
  checkReceiptUrl(input.url, ctx.allowPrivateEndpoints);
  if (input.secret !== undefined) checkSecret(input.secret);
  if (!(await findSourceOfApp(ctx.db, appId, sourceId))) throw new AppError('SOURCE_NOT_FOUND');
  const secret = input.secret ?? generateWebhookSecret();
  await updateSourceReceiptsOfApp(ctx.db, appId, sourceId, { url: input.url, sealedSecret: ctx.box.seal(secret) }, ctx.clock.now());
  return { sourceId, receiptUrl: input.url, receiptSecret: secret };
}

/** Receipts stop; those already waiting are still sent while the source exists. */
export async function clearSourceReceipts(ctx: OperationContext, appId: string, sourceId: string): Promise<void> {
  if (!(await findSourceOfApp(ctx.db, appId, sourceId))) throw new AppError('SOURCE_NOT_FOUND');
  await updateSourceReceiptsOfApp(ctx.db, appId, sourceId, null, ctx.clock.now());
}

function checkReceiptUrl(value: string, allowPrivate: boolean): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new AppError('UNSAFE_URL', 'The receipt URL is not a valid URL.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new AppError('UNSAFE_URL', 'Receipt URLs must use http or https.');
  if (url.username || url.password) throw new AppError('UNSAFE_URL', 'Receipt URLs must not carry credentials.');
  const problem = allowPrivate ? null : literalHostProblem(url);
  if (problem) throw new AppError('UNSAFE_URL', `The receipt URL is not reachable from outside: ${problem}.`);
}

function checkSecret(secret: string): void {
  const bytes = Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : '', 'base64');
  if (!secret.startsWith(SECRET_PREFIX) || bytes.length < 24 || bytes.length > 64) {
    throw new AppError('VALIDATION_FAILED', 'A receipt secret must be "whsec_" followed by 24 to 64 bytes in base64.');
  }
}
