/**
 * E-mail over SMTP with nodemailer (QUEUEBELL_SMTP_URL): the stored `{to, subject,
 * text}` as a plain-text mail, with an appointment's `calendar` attached as invite.ics. The Message-ID is derived from the message id, so a retry after a
 * lost answer is recognisably the same mail. SMTP's own classes decide the outcome: 5xx is a
 * permanent refusal (unknown mailbox), 4xx a temporary one (greylisting, full mailbox).
 */
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Message } from '../../db/schema.js';
import type { DeliveryOutcome } from '../outcome.js';
import { ATTEMPT_LOG, TIMEOUTS } from '../policy.js';
import { notSent, type Channel, type NotSent, type Prepared } from './channel.js';

// nodemailer ignores every other option when given a URL, so the URL is parsed with its own parser and pooling added.
const { parseConnectionUrl } = createRequire(import.meta.url)('nodemailer/lib/shared') as {
  parseConnectionUrl(url: string): Record<string, unknown>;
};

export interface Mail {
  to: string;
  subject: string;
  text: string;
  /** An appointment's iCalendar event, attached as invite.ics (docs/design.md §Calendars). */
  calendar?: string;
}

export interface PreparedEmail extends Prepared {
  mail: Mail;
}

export class EmailChannel implements Channel<PreparedEmail> {
  readonly name = 'email' as const;
  private readonly transport: Transporter | null;

  constructor(
    smtpUrl: string | null,
    private readonly from: string,
  ) {
    this.transport = smtpUrl
      ? nodemailer.createTransport({
          ...parseConnectionUrl(smtpUrl),
          pool: true,
          maxConnections: 4,
          connectionTimeout: TIMEOUTS.connectMs,
          greetingTimeout: TIMEOUTS.connectMs,
          socketTimeout: TIMEOUTS.responseMs,
        })
      : null;
  }

  prepare(message: Message): PreparedEmail | NotSent {
    if (!this.transport) return notSent('failed', 'e-mail is not configured (QUEUEBELL_SMTP_URL)');
    const { to, subject, text, calendar } = JSON.parse(message.body) as Mail;
    return { message, mail: { to, subject, text, ...(calendar ? { calendar } : {}) } };
  }

  async send(prepared: PreparedEmail): Promise<DeliveryOutcome> {
    const started = performance.now();
    const { mail, message } = prepared;
    try {
      const { calendar, ...plain } = mail;
      const info = await this.transport!.sendMail({
        from: this.from,
        ...plain,
        messageId: `<${message.id}@queuebell>`,
        ...(calendar ? { attachments: [{ filename: 'invite.ics', content: calendar, contentType: 'text/calendar; charset=utf-8' }] } : {}),
      });
      return { kind: 'delivered', statusCode: smtpCode(info.response), excerpt: clip(info.response), durationMs: elapsed(started) };
    } catch (error) {
      return smtpFailure(error as SmtpError, elapsed(started));
    }
  }

  /** SMTP sends are not cut short: the socket timeout bounds them. */
  abortAll(): void {}

  async close(): Promise<void> {
    this.transport?.close();
  }
}

interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
}

function smtpFailure(error: SmtpError, durationMs: number): DeliveryOutcome {
  const answer = {
    statusCode: error.responseCode ?? null,
    excerpt: clip(error.response),
    error: clip(error.message) ?? 'SMTP error',
    durationMs,
  };
  if (error.responseCode !== undefined && error.responseCode >= 500) return { kind: 'rejected', ...answer };
  if (error.responseCode !== undefined && error.responseCode >= 400) return { kind: 'retry_later', cause: 'server_error', ...answer };
  if (error.code === 'ETIMEDOUT') return { kind: 'retry_later', cause: 'timeout', ...answer };
  if (error.code === 'EAUTH') return { kind: 'retry_later', cause: 'refused', ...answer };
  if (error.code === 'EMESSAGE' || error.code === 'EENVELOPE') return { kind: 'rejected', ...answer };
  return { kind: 'retry_later', cause: 'network', ...answer };
}

function smtpCode(response: string | undefined): number | null {
  const code = Number(response?.slice(0, 3));
  return Number.isInteger(code) && code > 0 ? code : null;
}

function clip(text: string | undefined): string | null {
  return text ? text.slice(0, ATTEMPT_LOG.excerptBytes) : null;
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}
