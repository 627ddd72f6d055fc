/**
 * Reaching the person, across both services (docs/design.md §Receipts, §Fallback, §Timeline): the
 * push server reports what became of each message per device, the queue service records it on the
 * message and the ticket's timeline, and a person who agreed to it gets the same text by SMS when
 * the push does not reach them — once, and never after a push that did.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhook } from '../../src/contract/standard-webhooks.js';
import { describeEachEngine } from '../support/engines.js';
import { ADMIN_TOKEN, eventually, startFallbackStack, type FallbackStack } from './support.js';

const PHONE = '+33612345678';
let tokens = 0;
const apnsToken = () => (++tokens).toString(16).padStart(64, 'c');

describeEachEngine('receipts and fallback across both services', (engine) => {
  let s: FallbackStack;
  beforeAll(async () => {
    s = await startFallbackStack(engine);
  });
  afterAll(() => s.close());

  async function device(token = apnsToken()): Promise<{ pushId: string; token: string; deviceId: string }> {
    const reply = await s.push('POST', `/v1/apps/${s.appId}/devices`, {
      headers: { 'x-app-key': s.appKey },
      body: { provider: 'apns', token, environment: 'production' },
    });
    expect(reply.status).toBe(201);
    return { ...reply.body, token };
  }

  async function book(pushId: string, extra: Record<string, unknown> = {}) {
    const reply = await s.queue('POST', `/v2/queues/${s.queueId}/ticket`, {
      key: s.serverKey,
      body: { pushId, sendClientPush: true, userData: { phone: PHONE }, ...extra },
    });
    expect(reply.status).toBe(201);
    return reply.body;
  }

  const calledChange = (t: any) => t.changes.find((c: any) => c.action === 'TICKET_CALLED');
  const smsTo = (ticketLabel: string) => s.sms.control.received.filter((m) => m.body.includes(ticketLabel));

  it('records a pushed receipt with the provider id, and shows the call reaching the phone on the timeline', async () => {
    const { pushId, token, deviceId } = await device();
    const ticket = await book(pushId, { smsFallback: true });
    expect(ticket.notifications.smsFallback).toBe(true);
    await s.callNext();
    // Up to 20 s, as below: on a loaded CI run (PostgreSQL, both services in one process) the two pushes once took over 10.
    await s.fakes.apns.control.waitFor(2, (d) => d.token === token, 20_000);
    const t = await eventually(
      () => s.timeline(ticket.ticketId),
      (t) => calledChange(t)?.reach.reached === true,
    );
    const called = calledChange(t);
    expect(called.by).toMatchObject({ kind: 'key' });
    expect(called.counter).toEqual({ id: s.endpointId, name: 'Counter 1' });
    const [message] = called.messages;
    expect(message.receipts).toEqual([
      expect.objectContaining({
        type: 'push.receipt',
        outcome: 'pushed',
        deviceId,
        provider: 'apns',
        providerMessageId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      }),
    ]);
    expect(called.reach).toMatchObject({ reached: true, channel: 'push' });
    expect(called.reach.changeToReachedMs).toBeGreaterThanOrEqual(0);
    const detail = (await s.queue('GET', `/admin/messages/${message.id}`, { token: ADMIN_TOKEN })).body;
    expect(detail.receipts).toHaveLength(1);
    expect(detail.change).toMatchObject({ action: 'TICKET_CALLED', counter: { name: 'Counter 1' } });
    // The wait passes: the check finds the push and records why no SMS went out.
    const decided = await eventually(
      () => s.timeline(ticket.ticketId),
      (t) => calledChange(t).messages[0].fallback !== null,
      10_000,
    );
    expect(calledChange(decided).messages[0].fallback).toMatchObject({ decision: 'skipped', reason: 'pushed' });
    expect(smsTo(ticket.label)).toEqual([]);
  });

  it('texts at once when the pushId is unknown to the push server, once', async () => {
    const ticket = await book(`pid_unknown_${Date.now()}`, { smsFallback: true });
    await s.callNext();
    const [sms] = await s.sms.control.waitFor(1, (m) => m.body.includes(ticket.label));
    expect(sms).toMatchObject({ to: PHONE });
    expect(sms!.body).toContain('please go to Counter 1');
    const t = await eventually(
      () => s.timeline(ticket.ticketId),
      (t) => calledChange(t)?.reach.reached === true,
    );
    const called = calledChange(t);
    const push = called.messages.find((m: any) => m.channel === 'webhook');
    expect(push.receipts.map((r: any) => r.outcome)).toEqual(['unknown_push_id']);
    expect(push.fallback).toMatchObject({ decision: 'sent', reason: 'unknown_push_id' });
    expect(called.reach).toMatchObject({ reached: true, channel: 'sms' });
    // The wait passing later does not text again.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(smsTo(ticket.label)).toHaveLength(1);
  });

  it('texts when the token is dead, removes the device and reports device.invalidated', async () => {
    const { pushId, token, deviceId } = await device();
    const ticket = await book(pushId, { smsFallback: true });
    await s.fakes.apns.control.waitFor(1, (d) => d.token === token);
    s.fakes.apns.control.respond(token, { status: 410, reason: 'Unregistered' });
    await s.callNext();
    await s.sms.control.waitFor(1, (m) => m.body.includes(ticket.label));
    const t = await eventually(
      () => s.timeline(ticket.ticketId),
      (t) => calledChange(t)?.messages[0].receipts.length === 2,
    );
    const push = calledChange(t).messages.find((m: any) => m.channel === 'webhook');
    expect(push.receipts.map((r: any) => [r.type, r.outcome, r.deviceId]).sort()).toEqual([
      ['device.invalidated', 'token_invalid', deviceId],
      ['push.receipt', 'token_invalid', deviceId],
    ]);
    expect(push.fallback).toMatchObject({ decision: 'sent', reason: 'token_invalid' });
  });

  it('texts after the wait when no receipt says pushed, and a late push does not text again', async () => {
    const { pushId, token } = await device();
    const ticket = await book(pushId, { smsFallback: true });
    await s.fakes.apns.control.waitFor(1, (d) => d.token === token);
    // APNs is down for this device for a while: the push server keeps retrying, no receipt comes.
    s.fakes.apns.control.respond(token, { status: 503, reason: 'ServiceUnavailable', times: 3 });
    await s.callNext();
    await s.sms.control.waitFor(1, (m) => m.body.includes(ticket.label), 10_000);
    await s.fakes.apns.control.waitFor(2, (d) => d.token === token, 20_000);
    const t = await eventually(
      () => s.timeline(ticket.ticketId),
      (t) => calledChange(t)?.messages.find((m: any) => m.channel === 'webhook').receipts.length === 1,
      20_000,
    );
    const push = calledChange(t).messages.find((m: any) => m.channel === 'webhook');
    expect(push.fallback).toMatchObject({ decision: 'sent', reason: 'no_receipt_in_time' });
    expect(push.receipts[0].outcome).toBe('pushed');
    expect(smsTo(ticket.label)).toHaveLength(1);
  });

  it('never texts without consent, and never for a change a newer one superseded', async () => {
    const unconsenting = await book(`pid_unknown_a_${Date.now()}`);
    await s.callNext();
    // A device whose pushes APNs keeps refusing for now: no receipt comes within the wait.
    const { pushId, token } = await device();
    const superseded = await book(pushId, { smsFallback: true });
    await s.fakes.apns.control.waitFor(1, (d) => d.token === token);
    s.fakes.apns.control.respond(token, { status: 503, reason: 'ServiceUnavailable' });
    expect((await s.callNext()).ticketId).toBe(superseded.ticketId);
    // Served before the wait is over: the call's SMS would be news of the past.
    const served = await s.queue('PUT', `/v2/endpoints/${s.endpointId}/tickets/${superseded.ticketId}/state`, {
      key: s.operatorKey,
      body: { state: 500 },
    });
    expect(served.status).toBe(200);
    const t = await eventually(
      () => s.timeline(superseded.ticketId),
      (t) => calledChange(t).messages[0].fallback !== null,
      10_000,
    );
    expect(calledChange(t).messages[0].fallback).toMatchObject({ decision: 'skipped', reason: 'superseded' });
    expect(smsTo(superseded.label)).toEqual([]);
    expect(smsTo(unconsenting.label)).toEqual([]);
    expect(calledChange(await s.timeline(unconsenting.ticketId)).messages[0].fallback).toBeNull();
    s.fakes.apns.control.clearRules();
  });

  it("exports receipts, fallbacks, attempts and the waiting backlog on both services' /metrics", async () => {
    const scrape = async (base: string) => (await fetch(`${base}/metrics`)).text();
    /** The series' value: its name and these labels (the registry adds a service label). */
    const value = (text: string, series: string) => {
      const [, name, wanted = ''] = /^([^{]+)(?:\{(.*)\})?$/.exec(series)!;
      const labels = wanted ? wanted.split(',') : [];
      const line = text
        .split('\n')
        .find((l) => (l.startsWith(`${name}{`) || l.startsWith(`${name} `)) && labels.every((label) => l.split(' ')[0]!.includes(label)));
      return line === undefined ? null : Number(line.slice(line.lastIndexOf(' ') + 1));
    };
    const queue = await scrape(s.queueUrl);
    expect(value(queue, 'queuebell_receipts_received_total{outcome="pushed"}')).toBeGreaterThanOrEqual(1);
    expect(value(queue, 'queuebell_fallbacks_total{decision="sent",reason="unknown_push_id"}')).toBeGreaterThanOrEqual(1);
    expect(value(queue, 'queuebell_fallbacks_total{decision="skipped",reason="pushed"}')).toBeGreaterThanOrEqual(1);
    expect(value(queue, 'queuebell_delivery_attempts_total{channel="sms",outcome="delivered"}')).toBeGreaterThanOrEqual(1);
    expect(value(queue, 'queuebell_change_to_provider_accepted_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(queue).toContain('# TYPE queuebell_messages_waiting gauge');
    const push = await scrape(s.pushUrl);
    expect(value(push, 'queuebell_push_receipt_attempts_total{result="delivered"}')).toBeGreaterThanOrEqual(1);
    expect(value(push, 'queuebell_push_receipts_waiting')).not.toBeNull();
  });

  describe('receipts that are refused', () => {
    const post = (webhookId: string, secret: string, body: unknown, id = `rcp_test_${Date.now()}_${++tokens}`) => {
      const raw = JSON.stringify(body);
      const headers = signWebhook([secret], id, Math.floor(Date.now() / 1000), raw);
      return fetch(`${s.queueUrl}/v2/receipts/${webhookId}`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: raw,
      });
    };
    const receipt = (webhookId: string) => ({
      type: 'push.receipt',
      webhookId,
      pushId: 'pid_x',
      outcome: 'pushed',
      deviceId: 'dev_x',
      provider: 'apns',
      providerMessageId: null,
      reason: null,
      devices: 1,
      at: new Date().toISOString(),
    });

    it("refuses a bad signature, an unknown webhook-id and another company's message, recording nothing", async () => {
      const ticket = await book(`pid_unknown_c_${Date.now()}`);
      const messageId = (await s.queue('GET', `/admin/messages?ticketId=${ticket.ticketId}`, { token: ADMIN_TOKEN })).body.messages[0].id;
      const wrong = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
      expect((await post(s.webhookId, wrong, receipt(messageId))).status).toBe(401);
      expect((await post(s.webhookId, s.receiptSecret, receipt('msg_nothing_here'))).status).toBe(404);
      // Another company with its own destination and receipt secret cannot report on this message.
      const other = (await s.queue('POST', '/admin/companies', { token: ADMIN_TOKEN, body: { name: 'Other' } })).body;
      const otherHook = (
        await s.queue('POST', `/admin/companies/${other.id}/webhooks`, { token: ADMIN_TOKEN, body: { url: 'http://127.0.0.1:9/x' } })
      ).body;
      const otherSecret = (await s.queue('POST', `/admin/webhooks/${otherHook.id}/receipt-secret`, { token: ADMIN_TOKEN, body: {} })).body
        .receiptSecret;
      const refused = await post(otherHook.id, otherSecret, receipt(messageId));
      expect(refused.status).toBe(404);
      expect((await refused.json()).error.code).toBe('MESSAGE_NOT_FOUND');
      const detail = (await s.queue('GET', `/admin/messages/${messageId}`, { token: ADMIN_TOKEN })).body;
      expect(detail.receipts.filter((r: any) => r.deviceId === 'dev_x')).toEqual([]);
    });

    it("records a batch only when every receipt in it is this destination's", async () => {
      const ticket = await book(`pid_unknown_e_${Date.now()}`);
      const messageId = (await s.queue('GET', `/admin/messages?ticketId=${ticket.ticketId}`, { token: ADMIN_TOKEN })).body.messages[0].id;
      const item = (id: string, webhookId: string) => ({ id, ...receipt(webhookId), deviceId: id });
      const refused = await post(s.webhookId, s.receiptSecret, {
        type: 'receipt.batch',
        receipts: [item(`rcp_b1_${messageId}`, messageId), item(`rcp_b2_${messageId}`, 'msg_not_ours')],
      });
      expect(refused.status).toBe(404);
      const accepted = await post(s.webhookId, s.receiptSecret, {
        type: 'receipt.batch',
        receipts: [item(`rcp_b1_${messageId}`, messageId), item(`rcp_b3_${messageId}`, messageId)],
      });
      expect(accepted.status).toBe(200);
      const detail = (await s.queue('GET', `/admin/messages/${messageId}`, { token: ADMIN_TOKEN })).body;
      expect(
        detail.receipts
          .map((r: any) => r.id)
          .filter((id: string) => id.startsWith('rcp_b'))
          .sort(),
      ).toEqual([`rcp_b1_${messageId}`, `rcp_b3_${messageId}`]);
    });

    it('keeps a receipt that arrives before the attempt is recorded, and a repeat of it once', async () => {
      const ticket = await book(`pid_unknown_d_${Date.now()}`);
      const messageId = (await s.queue('GET', `/admin/messages?ticketId=${ticket.ticketId}`, { token: ADMIN_TOKEN })).body.messages[0].id;
      const first = await post(s.webhookId, s.receiptSecret, receipt(messageId), `rcp_early_${messageId}`);
      expect(first.status).toBe(200);
      const again = await post(s.webhookId, s.receiptSecret, receipt(messageId), `rcp_early_${messageId}`);
      expect(await again.json()).toMatchObject({ received: true, duplicate: true });
      const detail = (await s.queue('GET', `/admin/messages/${messageId}`, { token: ADMIN_TOKEN })).body;
      expect(detail.receipts.filter((r: any) => r.id === `rcp_early_${messageId}`)).toHaveLength(1);
    });
  });
});
