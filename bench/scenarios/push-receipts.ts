/**
 * What receipts cost the push server (docs/design.md §Receipts): the APNs throughput of
 * push-apns, measured twice in one run on fresh push-server processes — without a receipt URL, then
 * with one, where every delivered push also writes a receipt in its outcome's transaction and the
 * receipt sender signs and POSTs it to a receiver in this process. Target: with receipts ≥ 85 % of
 * without. Also the time until the last receipt is accepted.
 */
import { createServer } from 'node:http';
import { round } from '../lib/stats.js';
import type { BenchRow, Scenario } from '../lib/types.js';
import {
  recordedJobs,
  startFakes,
  startPushServer,
  waitForDeliveries,
  type BenchApp,
  type Counts,
  type FakesInfo,
} from './push-support.js';
import type { ChildServer } from '../lib/child.js';

interface Run {
  rate: number;
  delivered: number;
  /** From the worker's start to the receiver holding every receipt; null without receipts. */
  receiptsDoneMs: number | null;
}

async function receiver(): Promise<{ url: string; count(): number; close(): Promise<void> }> {
  let received = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      // One receipt, or a receipt.batch of many.
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { type: string; receipts?: unknown[] };
      received += body.type === 'receipt.batch' ? body.receipts!.length : 1;
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/v2/receipts/whk_bench`,
    count: () => received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function measure(fakes: ChildServer<FakesInfo>, total: number, receipts: { url: string; count(): number } | null): Promise<Run> {
  const server = await startPushServer();
  try {
    const app = await server.request<BenchApp>({ type: 'setup', provider: 'apns', count: 2000, apns: fakes.info.apns });
    if (receipts) await server.request({ type: 'receipts', appId: app.appId, sourceId: app.sourceId, url: receipts.url });
    await server.request({ type: 'seed', appId: app.appId, sourceId: app.sourceId, pushIds: app.pushIds, count: total });
    const before = (await fakes.request<Counts>({ type: 'stats' })).apns;
    const receivedBefore = receipts?.count() ?? 0;
    const started = performance.now();
    await server.request({ type: 'startWorker' });
    const finished = await waitForDeliveries(fakes, 'apns', before + total, 180_000);
    const jobs = await recordedJobs(server, total);
    let receiptsDoneMs: number | null = null;
    if (receipts) {
      const until = performance.now() + 120_000;
      while (receipts.count() - receivedBefore < total && performance.now() < until) await new Promise((r) => setTimeout(r, 20));
      receiptsDoneMs = performance.now() - started;
    }
    return { rate: total / ((finished - started) / 1000), delivered: jobs.delivered ?? 0, receiptsDoneMs };
  } finally {
    await server.stop();
  }
}

export const pushReceiptsScenario: Scenario = {
  name: 'push-receipts',
  description: 'APNs pushes/s with receipts to a receiver vs without, one run (receipts cost ≤ 15 %)',
  async run(ctx) {
    const total = Math.max(5000, Math.round(40_000 * ctx.scale));
    const fakes = await startFakes();
    const sink = await receiver();
    const rows: BenchRow[] = [];
    try {
      ctx.progress(`without receipts: ${total} pushes`);
      const without = await measure(fakes, total, null);
      ctx.progress(`with receipts: ${total} pushes, a receipt each`);
      const withReceipts = await measure(fakes, total, sink);
      const ratio = withReceipts.rate / without.rate;
      const receiptRate = total / ((withReceipts.receiptsDoneMs ?? Number.POSITIVE_INFINITY) / 1000);
      rows.push(
        {
          scenario: 'push-receipts',
          metric: 'APNs pushes/s with receipts (ceiling: without)',
          value: round(withReceipts.rate),
          unit: 'push/s',
          ceiling: round(without.rate),
          ratio,
          target: '>= 0.85 of without',
          pass: ratio >= 0.85,
        },
        {
          scenario: 'push-receipts',
          metric: 'receipts accepted by the receiver (batched, ≤ 100 a POST)',
          value: sink.count(),
          unit: `of ${total}`,
          target: `= ${total}`,
          pass: sink.count() === total,
        },
        {
          // Receipts follow the pushes: their rate is bounded by the push rate measured beside it.
          scenario: 'push-receipts',
          metric: 'receipts/s, worker start → last receipt (ceiling: pushes/s)',
          value: round(receiptRate),
          unit: 'receipt/s',
          ceiling: round(withReceipts.rate),
          ratio: receiptRate / withReceipts.rate,
          target: '>= 0.9 of pushes/s',
          pass: receiptRate >= 0.9 * withReceipts.rate,
        },
      );
    } finally {
      await sink.close();
      await fakes.stop();
    }
    return rows;
  },
};
