/**
 * SMS fallback on time (docs/design.md §Fallback): the push server is down (the webhook points at a
 * closed port), so no receipt ever comes; each called ticket whose holder agreed to the fallback
 * must get its SMS at the fake SMS provider within the queue's wait + 1 s. Calls arrive at a steady
 * 10/s; the latency is from the call's answer to the SMS reaching the fake provider.
 */
import { startFakeSms } from '../../src/fakes/sms/server.js';
import { startQueueService } from '../../src/queue-service/main.js';
import { createLogger } from '../../src/platform/logger.js';
import { percentile, round } from '../lib/stats.js';
import { atMost, type BenchRow, type Scenario } from '../lib/types.js';
import { apiCaller, benchConfig, seedBenchCompany } from '../servers/bench-company.js';

const WAIT_SECONDS = 2;
const CALLS_PER_SECOND = 10;

export const fallbackScenario: Scenario = {
  name: 'fallback',
  description: `SMS fallback with the push server stopped: call → SMS at the fake provider, target ≤ wait (${WAIT_SECONDS} s) + 1 s at p99`,
  async run(ctx) {
    const total = Math.max(40, Math.round(200 * ctx.scale));
    const sms = await startFakeSms();
    const config = benchConfig('fallback', {
      QUEUEBELL_ALLOW_PRIVATE_WEBHOOKS: '1',
      QUEUEBELL_SMS_ACCOUNT_SID: sms.accountSid,
      QUEUEBELL_SMS_AUTH_TOKEN: sms.authToken,
      QUEUEBELL_SMS_FROM: '+15550000000',
      QUEUEBELL_SMS_BASE_URL: sms.baseUrl,
    });
    const service = await startQueueService({ config, role: 'all', logger: createLogger('bench-fallback', 'warn') });
    const rows: BenchRow[] = [];
    try {
      const call = apiCaller(service.url!);
      const company = await seedBenchCompany(call, {
        scopes: ['server', 'operator'],
        queueSettings: { fallbackWaitSeconds: WAIT_SECONDS, alertPositions: [], urgentActions: ['TICKET_CALLED'] },
        openCounter: true,
        // Nothing listens there: the push server is stopped.
        webhookUrl: 'http://127.0.0.1:9/v1/apps/app_down/messages',
        users: 0,
      });
      const key = { 'x-api-key': company.key };
      ctx.progress(`booking ${total} tickets with smsFallback`);
      for (let i = 0; i < total; i++) {
        await call(
          'POST',
          `/v2/queues/${company.queueId}/ticket`,
          { pushId: `pid_bench_${i}`, sendClientPush: true, smsFallback: true, userData: { phone: `+3361${String(i).padStart(7, '0')}` } },
          key,
        );
      }
      ctx.progress(`calling ${total} tickets at ${CALLS_PER_SECOND}/s; push server stopped`);
      const calledAt = new Map<string, number>();
      const started = performance.now();
      for (let i = 0; i < total; i++) {
        const due = started + (i * 1000) / CALLS_PER_SECOND;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        const ticket = await call('POST', `/v2/endpoints/${company.endpointId}/next`, { previousTicket: 'keep' }, key);
        calledAt.set(ticket.userData.phone, Date.now());
      }
      const texts = await sms.control.waitFor(total, (m) => m.body.includes('please go to'), WAIT_SECONDS * 1000 + 30_000);
      const latencies = texts
        .map((m) => m.receivedAt - (calledAt.get(m.to) ?? Number.NaN))
        .filter((ms) => Number.isFinite(ms))
        .sort((a, b) => a - b);
      const target = WAIT_SECONDS * 1000 + 1000;
      rows.push(
        {
          scenario: 'fallback',
          metric: 'call → SMS, push server stopped, p50',
          value: round(percentile(latencies, 50)),
          unit: 'ms',
          ...atMost(round(percentile(latencies, 50)), target),
        },
        {
          scenario: 'fallback',
          metric: 'call → SMS, push server stopped, p99',
          value: round(percentile(latencies, 99)),
          unit: 'ms',
          ...atMost(round(percentile(latencies, 99)), target),
        },
        {
          scenario: 'fallback',
          metric: 'SMS received (one per call)',
          value: sms.control.received.filter((m) => m.body.includes('please go to')).length,
          unit: `of ${total}`,
          target: `= ${total}`,
          pass: sms.control.received.filter((m) => m.body.includes('please go to')).length === total,
        },
      );
    } finally {
      await service.close();
      await sms.close();
    }
    return rows;
  },
};
