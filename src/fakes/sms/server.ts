/**
 * A fake Twilio-compatible SMS provider for tests, the bench and the demo: the Messages API at
 * `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, checking what Twilio checks — HTTP Basic
 * auth with the account SID and auth token, a form body, `To` in E.164, `From` and `Body` present
 * — and answering with Twilio's status codes and error bodies (`{code, message, status}`).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { SmsControl, type TwilioError } from './control.js';
import { sendInboundSms, type InboundAnswer, type InboundSms } from './inbound.js';

export interface FakeSmsProvider {
  /** What QUEUEBELL_SMS_BASE_URL takes. */
  baseUrl: string;
  accountSid: string;
  authToken: string;
  control: SmsControl;
  /** A person texting the service's number: posted, signed, to its inbound webhook (inbound.ts). */
  sendInbound(sms: InboundSms): Promise<InboundAnswer>;
  close(): Promise<void>;
}

const E164 = /^\+[1-9]\d{6,14}$/;
/** Twilio refuses longer bodies (error 21617). */
const MAX_BODY = 1600;

export async function startFakeSms(options: { accountSid?: string; authToken?: string } = {}): Promise<FakeSmsProvider> {
  const accountSid = options.accountSid ?? `AC${randomBytes(16).toString('hex')}`;
  const authToken = options.authToken ?? randomBytes(16).toString('hex');
  const control = new SmsControl();
  const sockets = new Set<Socket>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => handle(request, Buffer.concat(chunks).toString('utf8'), response, { accountSid, authToken, control }));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const port = await new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
  );
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    accountSid,
    authToken,
    control,
    sendInbound: (sms) => sendInboundSms({ accountSid, authToken }, sms),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

interface Context {
  accountSid: string;
  authToken: string;
  control: SmsControl;
}

function handle(request: IncomingMessage, text: string, response: ServerResponse, ctx: Context): void {
  const refuse = (error: TwilioError, to = '') => {
    ctx.control.requests.push({ to, status: error.status });
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (error.retryAfter) headers['retry-after'] = error.retryAfter;
    response.writeHead(error.status, headers).end(
      JSON.stringify({
        code: error.code,
        message: error.message,
        more_info: `https://www.twilio.com/docs/errors/${error.code}`,
        status: error.status,
      }),
    );
  };
  if (request.method !== 'POST' || request.url !== `/2010-04-01/Accounts/${ctx.accountSid}/Messages.json`) {
    return refuse({ status: 404, code: 20404, message: 'The requested resource was not found' });
  }
  const expected = `Basic ${Buffer.from(`${ctx.accountSid}:${ctx.authToken}`).toString('base64')}`;
  if (request.headers.authorization !== expected) return refuse({ status: 401, code: 20003, message: 'Authenticate' });
  if (!String(request.headers['content-type']).startsWith('application/x-www-form-urlencoded')) {
    return refuse({ status: 400, code: 20001, message: 'The request body must be application/x-www-form-urlencoded' });
  }
  const form = new URLSearchParams(text);
  const to = form.get('To') ?? '';
  const from = form.get('From') ?? '';
  const body = form.get('Body') ?? '';
  if (!E164.test(to)) return refuse({ status: 400, code: 21211, message: `The 'To' number ${to} is not a valid phone number.` }, to);
  if (!from) return refuse({ status: 400, code: 21603, message: "A 'From' phone number is required." }, to);
  if (!body) return refuse({ status: 400, code: 21602, message: 'Message body is required.' }, to);
  if (body.length > MAX_BODY)
    return refuse({ status: 400, code: 21617, message: 'The concatenated message body exceeds the 1600 character limit.' }, to);
  const rule = ctx.control.take(to);
  if (rule) return refuse(rule, to);
  const sid = `SM${randomBytes(16).toString('hex')}`;
  ctx.control.requests.push({ to, status: 201 });
  ctx.control.record({ sid, to, from, body, receivedAt: Date.now() });
  response.writeHead(201, { 'content-type': 'application/json' }).end(
    JSON.stringify({
      sid,
      account_sid: ctx.accountSid,
      to,
      from,
      body,
      status: 'queued',
      num_segments: String(Math.ceil(body.length / 160)),
      date_created: new Date().toUTCString(),
      uri: `/2010-04-01/Accounts/${ctx.accountSid}/Messages/${sid}.json`,
    }),
  );
}
