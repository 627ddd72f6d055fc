/**
 * The step ③ body as the push server reads it (docs/design.md §The message): validated against the contract's
 * schema, the action checked against the known ones, and the ticket reduced to the few fields a
 * notification shows — so a large ticket view costs nothing after ingest.
 */
import { Compile } from 'typebox/compile';
import { AppError } from '../../contract/errors.js';
import { NotificationBodySchema, type NotificationBody } from '../../contract/message.js';
import { isTicketAction } from '../../contract/ticket-states.js';
import { assertStorable } from '../../platform/http/storable-text.js';
import type { CompactTicket } from '../db/schema.js';

const checkBody = Compile(NotificationBodySchema);

export function parseMessageBody(raw: Buffer): NotificationBody {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new AppError('MALFORMED_JSON');
  }
  // The raw body skips the edge's check of request strings (docs/design.md §Errors): the same check here.
  assertStorable(parsed, 'body');
  if (!checkBody.Check(parsed)) {
    const first = checkBody.Errors(parsed)[0];
    const field = first?.instancePath ? first.instancePath.slice(1).replaceAll('/', '.') : 'body';
    throw new AppError('VALIDATION_FAILED', `Invalid field ${field}: ${first?.message ?? 'not valid'}.`);
  }
  if (!isTicketAction(parsed.message.action)) {
    throw new AppError('UNKNOWN_ACTION', `Unknown action "${parsed.message.action.slice(0, 64)}".`);
  }
  return parsed;
}

/**
 * Reads the ticket view loosely: another sender may send less, and unknown fields are ignored. The
 * ticket id (the devices' `ticketId` and collapse key) is `data.ticketId`, Lineberty's name, or the
 * older `data.id` while senders still send it.
 */
export function compactTicket(data: Record<string, unknown>, fallbackId: string): CompactTicket {
  const endpoint = data.endpoint as { name?: unknown } | null | undefined;
  const id = [data.ticketId, data.id].find((value): value is string => typeof value === 'string' && value !== '');
  return {
    id: id ? id.slice(0, 200) : fallbackId,
    label: typeof data.label === 'string' ? data.label.slice(0, 64) : '',
    state: typeof data.state === 'number' ? data.state : null,
    counter: endpoint && typeof endpoint.name === 'string' ? endpoint.name.slice(0, 100) : null,
    lang: [data.language, data.lang].find((value): value is string => typeof value === 'string')?.slice(0, 16) ?? null,
  };
}
