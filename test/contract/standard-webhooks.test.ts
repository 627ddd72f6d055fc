import { describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { generateWebhookSecret, signWebhook, verifyWebhook } from '../../src/contract/standard-webhooks.js';

// The example of the Standard Webhooks specification and its reference libraries' tests.
const SPEC_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const SPEC_ID = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const SPEC_TIMESTAMP = 1614265330;
const SPEC_BODY = '{"test": 2432232314}';
const SPEC_SIGNATURE = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';

describe('Standard Webhooks signatures', () => {
  it('reproduces the signature of the specification example', () => {
    const headers = signWebhook([SPEC_SECRET], SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY);
    expect(headers['webhook-signature']).toBe(SPEC_SIGNATURE);
  });

  it('signs so that the reference library (npm standardwebhooks) verifies', () => {
    const secret = generateWebhookSecret();
    const body = JSON.stringify({ pushId: 'p1', message: { action: 'TICKET_CALLED', content: 'Ticket A001', data: {} } });
    const headers = signWebhook([secret], 'msg_abc', Math.floor(Date.now() / 1000), body);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
  });

  it('verifies what the reference library signs', () => {
    const secret = generateWebhookSecret();
    const now = new Date();
    const body = '{"hello":"world"}';
    const signature = new Webhook(secret).sign('msg_ref', now, body);
    const headers = {
      'webhook-id': 'msg_ref',
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': signature,
    };
    expect(verifyWebhook([secret], headers, body)).toMatchObject({ ok: true, id: 'msg_ref' });
  });

  it('signs with every secret during a rotation, and either secret verifies', () => {
    const [oldSecret, newSecret] = [generateWebhookSecret(), generateWebhookSecret()];
    const ts = Math.floor(Date.now() / 1000);
    const headers = signWebhook([newSecret, oldSecret], 'msg_rot', ts, 'x');
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(verifyWebhook([oldSecret], headers, 'x').ok).toBe(true);
    expect(new Webhook(newSecret).verify('x', { ...headers }, { jsonParse: false } as never)).toBeUndefined();
  });

  it('rejects a changed body, a wrong secret and missing headers', () => {
    const secret = generateWebhookSecret();
    const ts = Math.floor(Date.now() / 1000);
    const headers = signWebhook([secret], 'msg_x', ts, 'body');
    expect(verifyWebhook([secret], headers, 'body!')).toEqual({ ok: false, reason: 'invalid_signature' });
    expect(verifyWebhook([generateWebhookSecret()], headers, 'body')).toEqual({ ok: false, reason: 'invalid_signature' });
    expect(verifyWebhook([secret], { 'webhook-id': 'msg_x' }, 'body')).toEqual({ ok: false, reason: 'missing_headers' });
  });

  it('rejects a timestamp older or newer than five minutes', () => {
    const secret = generateWebhookSecret();
    const now = 1_800_000_000;
    const old = signWebhook([secret], 'msg_t', now - 301, 'b');
    const future = signWebhook([secret], 'msg_t', now + 301, 'b');
    const edge = signWebhook([secret], 'msg_t', now - 300, 'b');
    expect(verifyWebhook([secret], old, 'b', { nowSeconds: now })).toEqual({ ok: false, reason: 'stale_timestamp' });
    expect(verifyWebhook([secret], future, 'b', { nowSeconds: now })).toEqual({ ok: false, reason: 'stale_timestamp' });
    expect(verifyWebhook([secret], edge, 'b', { nowSeconds: now }).ok).toBe(true);
  });
});
