/**
 * The fake provider's other direction: a person texting the service's number. Posts to the
 * service's inbound URL exactly as Twilio does — a form with From, To, Body, MessageSid,
 * AccountSid and NumMedia, signed with `X-Twilio-Signature` — and reads the TwiML answer back.
 */
import { randomBytes } from 'node:crypto';
import { twilioSignature } from '../../contract/twilio-signature.js';

export interface InboundSms {
  /** The service's inbound webhook, as configured at the provider. */
  url: string;
  from: string;
  to: string;
  body: string;
}

export interface InboundAnswer {
  status: number;
  /** The text of the TwiML `<Message>`, unescaped, or null when the answer sends nothing. */
  reply: string | null;
  text: string;
}

export async function sendInboundSms(
  account: { accountSid: string; authToken: string },
  sms: InboundSms,
  signatureUrl = sms.url,
): Promise<InboundAnswer> {
  const form: Record<string, string> = {
    MessageSid: `SM${randomBytes(16).toString('hex')}`,
    AccountSid: account.accountSid,
    From: sms.from,
    To: sms.to,
    Body: sms.body,
    NumMedia: '0',
  };
  const response = await fetch(sms.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilioSignature(account.authToken, signatureUrl, form),
    },
    body: new URLSearchParams(form).toString(),
  });
  const text = await response.text();
  const message = /<Message>([\s\S]*?)<\/Message>/.exec(text)?.[1];
  return { status: response.status, reply: message === undefined ? null : unescapeXml(message), text };
}

function unescapeXml(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}
