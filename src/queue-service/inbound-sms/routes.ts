/**
 * The SMS provider's inbound webhook (docs/design.md §Two-way SMS): Twilio posts each text a
 * person sends to the service's number as a form, signed with the account's auth token
 * (`X-Twilio-Signature`), and sends back what the TwiML answer says.
 */
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../contract/errors.js';
import { twilioSignatureValid } from '../../contract/twilio-signature.js';
import { routeGroup } from '../../platform/http/route-group.js';
import type { HttpServer } from '../../platform/http/server.js';
import type { QueueServiceDeps } from '../deps.js';
import { errors } from '../http/schemas.js';
import { answerSms } from './answer.js';

const E164 = '^\\+[1-9]\\d{6,14}$';
const InboundForm = Type.Object(
  {
    From: Type.String({ pattern: E164 }),
    Body: Type.String({ maxLength: 1600 }),
  },
  { additionalProperties: Type.String({ maxLength: 2000 }) },
);

export async function registerInboundSmsRoutes(app: HttpServer, deps: QueueServiceDeps): Promise<void> {
  await routeGroup(app, (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_request, body, done) =>
      done(null, Object.fromEntries(new URLSearchParams(body as string))),
    );
    scope.post(
      '/v2/sms/inbound',
      {
        schema: {
          tags: ['sms'],
          summary: 'A text sent to the service’s number (Twilio webhook)',
          description:
            'Form-encoded as Twilio sends it, signed with X-Twilio-Signature over QUEUEBELL_SMS_INBOUND_URL (or the URL as requested). Answers TwiML with the reply, if any.',
          consumes: ['application/x-www-form-urlencoded'],
          body: InboundForm,
          response: { 200: Type.String({ description: 'TwiML' }), ...errors(400, 401, 404) },
        },
      },
      async (request, reply) => {
        const sms = deps.config.sms;
        if (!sms) throw new AppError('SMS_NOT_CONFIGURED');
        const signature = request.headers['x-twilio-signature'];
        const form = request.body as Record<string, string>;
        if (
          typeof signature !== 'string' ||
          !twilioSignatureValid(sms.authToken, sms.inboundUrl ?? requestedUrl(request), form, signature)
        ) {
          throw new AppError('INVALID_SIGNATURE', 'The X-Twilio-Signature does not match this request.');
        }
        const answer = await answerSms(deps, form.From!, form.Body!);
        return reply.type('text/xml; charset=utf-8').send(twiml(answer));
      },
    );
  });
}

function requestedUrl(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}${request.url}`;
}

function twiml(message: string | null): string {
  const escaped = message?.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<?xml version="1.0" encoding="UTF-8"?><Response>${escaped ? `<Message>${escaped}</Message>` : ''}</Response>`;
}
