/**
 * Twilio's Messages API (and every provider that copies it): a form POST to
 * `{baseUrl}/2010-04-01/Accounts/{AccountSid}/Messages.json` with `To`, `From` and `Body`, HTTP
 * Basic auth with the account SID and auth token. 201 means accepted for delivery; a 400 carries
 * Twilio's error code (21211 invalid To, 21610 unsubscribed recipient…) and is not worth retrying.
 */
import { httpOutcome } from '../http-outcome.js';
import type { SmsProviderFactory } from './provider.js';

export const createTwilioProvider: SmsProviderFactory = (config, http, now) => {
  const url = `${config.baseUrl.replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(config.accountSid)}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${config.accountSid}:${config.authToken}`).toString('base64')}`;
  return {
    name: 'twilio',
    async send(sms) {
      const form = new URLSearchParams({ To: sms.to, From: config.from, Body: sms.text }).toString();
      const result = await http.post(url, { authorization, 'content-type': 'application/x-www-form-urlencoded' }, form);
      return httpOutcome(result, now());
    },
  };
};
