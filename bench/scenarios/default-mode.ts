/**
 * The default mode (`queuebell start` on embedded SQLite): booking latency at a steady 1,000/s with
 * every booking delivered as a signed webhook to the push server and pushed through the fake APNs,
 * against the queue service's API alone at the same rate in the same run (the ceiling). Three
 * fresh processes, one after the other, each warmed up first:
 * - api: the API alone (role api: bookings write their messages, nothing delivers them);
 * - threads: both services with the dispatcher, the scheduler and the push worker in worker threads (the default);
 * - one-loop: the same with everything on one event loop (QUEUEBELL_WORKER_THREADS=0), for reference.
 * The fakes run in a process of their own and count what reaches them.
 */
import { startChild, type ChildServer } from '../lib/child.js';
import { cpuMicros, machineBusyPercent, machineTicks, threadCpuMicros, threadShares } from '../lib/cpu.js';
import { percentile, round } from '../lib/stats.js';
import { steadyLoad } from '../lib/steady.js';
import { atMost, type BenchRow, type Scenario } from '../lib/types.js';
import { BENCH_ADMIN_TOKEN, apiCaller, seedBenchCompany, steadyBooking } from '../servers/bench-company.js';

type Layout = 'api' | 'threads' | 'one-loop';
interface Fakes {
  apns: { baseUrl: string; keyP8: string; keyId: string; teamId: string; topic: string; ca: string };
}
/** Booking latencies (ms) under the steady load. */
interface Latency {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  failed: number;
}
interface Measured {
  load: Latency;
  booked: number;
  pushed: number;
  rssMB: number;
  rssPeakMB: number;
  /** During the steady load: the process's CPU per booking (every thread), and the main thread's and busiest other thread's share of a core. */
  cpuPerBookingMicros: number;
  mainThreadPercent: number;
  busiestOtherThreadPercent: number;
  /** How busy the machine's cores were meanwhile (the load generator and the fakes included). */
  machineBusyPercent: number;
}

const RATE = 1_000;
const DEVICES = 64;
/**
 * A person holds one open ticket (the default limit). The fair-use count walks what its holder
 * holds, so with 32 users holding hundreds each, a booking cost more as the run went on (main-thread
 * statements: the count 69 µs and the ticket insert 62 µs a booking late in a run, against 16 and 52).
 */
const USERS = 1_000;
/**
 * Until V8 has compiled the hot paths of every thread. The default mode has four isolates, each
 * compiling its own: after a 2 s warm-up, V8's helper threads still used ~600 µs of CPU a booking
 * during the measured run (TurboFan, by `perf`), against ~180 µs after 12 s.
 */
const WARM_UP_SECONDS = 8;

async function setUp(server: ChildServer<{ url: string; pushUrl: string | null }>, fakes: Fakes) {
  const admin = { authorization: `Bearer ${BENCH_ADMIN_TOKEN}` };
  const { url, pushUrl } = server.info;
  if (!pushUrl) {
    const company = await seedBenchCompany(apiCaller(url), { scopes: ['booking'], webhookUrl: 'http://127.0.0.1:9/push', users: USERS });
    return { ...company, pushIds: Array.from({ length: DEVICES }, (_, i) => `push-${i}`) };
  }
  const push = apiCaller(pushUrl);
  const app = await push(
    'POST',
    '/admin/apps',
    { name: 'bench', titles: { default: 'Your ticket' }, apns: { ...fakes.apns, sandboxBaseUrl: fakes.apns.baseUrl } },
    admin,
  );
  const source = await push('POST', `/admin/apps/${app.appId}/sources`, { name: 'bench queue service' }, admin);
  const pushIds: string[] = [];
  for (let i = 0; i < DEVICES; i++) {
    const device = await push(
      'POST',
      `/v1/apps/${app.appId}/devices`,
      { provider: 'apns', token: i.toString(16).padStart(64, '0'), environment: 'production' },
      { 'x-app-key': app.appKey },
    );
    pushIds.push(device.pushId);
  }
  const company = await seedBenchCompany(apiCaller(url), {
    scopes: ['booking'],
    webhookUrl: source.ingestUrl,
    webhookSecret: source.secret,
    users: USERS,
  });
  return { ...company, pushIds };
}

async function measure(layout: Layout, fakes: ChildServer<Fakes>, seconds: number, progress: (m: string) => void): Promise<Measured> {
  const server = await startChild<{ url: string; pushUrl: string | null }>(new URL('../servers/default-mode.ts', import.meta.url), {
    DEFAULT_MODE_LAYOUT: layout,
    QUEUEBELL_WORKER_THREADS: layout === 'threads' ? '1' : '0',
  });
  try {
    const { pushIds, ...company } = await setUp(server, fakes.info);
    // Evenly spaced, open loop (steady.ts): autocannon's rate sends each second's bookings in a
    // burst at its start, so its p99 was the time to drain a burst, not the latency at a steady rate.
    const book = async (seconds: number): Promise<Latency> => {
      const steady = await steadyLoad({
        url: server.info.url,
        rate: RATE,
        seconds,
        request: (i) => steadyBooking(company, i, pushIds[i % pushIds.length]!),
      });
      const at = (p: number) => round(percentile(steady.latencies, p));
      return { requests: steady.sent, rps: steady.rps, p50: at(50), p99: at(99), max: at(100), failed: steady.failed };
    };
    const pushedBefore = (await fakes.request<{ apns: number }>({ type: 'stats' })).apns;
    progress(`${layout}: warm-up, ${WARM_UP_SECONDS} s at ${RATE}/s`);
    const warmUp = await book(WARM_UP_SECONDS);
    await server.request({ type: 'memory' });
    progress(`${layout}: bookings at a steady ${RATE}/s for ${seconds} s`);
    const pid = server.process.pid!;
    const [cpuBefore, threadsBefore, machineBefore] = [cpuMicros(pid), threadCpuMicros(pid), machineTicks()];
    const load = await book(seconds);
    const machineBusy = machineBusyPercent(machineBefore, machineTicks());
    const shares = threadShares(threadsBefore, threadCpuMicros(pid), pid, seconds);
    const cpuPerBookingMicros = (cpuMicros(pid) - cpuBefore) / Math.max(load.requests, 1);
    const booked = warmUp.requests - warmUp.failed + load.requests - load.failed;
    let pushed = 0;
    if (server.info.pushUrl) {
      // Every booking is pushed: wait for the last ones (a minute at most).
      for (let i = 0; i < 600 && pushed < booked; i++) {
        pushed = (await fakes.request<{ apns: number }>({ type: 'stats' })).apns - pushedBefore;
        if (pushed < booked) await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    const memory = await server.request<{ rssMB: number; rssPeakMB: number }>({ type: 'memory' });
    return {
      load,
      booked,
      pushed,
      ...memory,
      cpuPerBookingMicros,
      mainThreadPercent: shares.main,
      busiestOtherThreadPercent: shares.busiestOther,
      machineBusyPercent: machineBusy,
    };
  } finally {
    await server.stop();
  }
}

const defaultMode: Scenario = {
  name: 'default-mode',
  description: 'queuebell start on SQLite: booking p99 at 1,000/s with every booking delivered and pushed, vs the API alone',
  async run(ctx) {
    const seconds = Math.max(3, Math.round(10 * ctx.scale));
    const fakes = await startChild<Fakes>(new URL('../servers/push-fakes.ts', import.meta.url));
    try {
      const api = await measure('api', fakes, seconds, ctx.progress);
      const threads = await measure('threads', fakes, seconds, ctx.progress);
      const oneLoop = await measure('one-loop', fakes, seconds, ctx.progress);
      const row = (metric: string, m: Measured) => ({
        scenario: 'default-mode',
        metric,
        value: m.load.p99,
        unit: `ms booking p99 (p50 ${m.load.p50} ms, max ${m.load.max} ms, ${round(m.load.rps)}/s, ${m.load.failed} failed; RSS ${m.rssMB} MB, peak ${m.rssPeakMB} MB)`,
      });
      // Whether a layout is short of CPU or waiting (for the write lock, a batch): its CPU beside its
      // throughput, and whether the machine had a core to spare at all.
      const cpuRow = (layout: string, m: Measured): BenchRow => ({
        scenario: 'default-mode',
        metric: `${layout}: CPU per booking, all threads`,
        value: round(m.cpuPerBookingMicros),
        unit: `µs (main thread ${round(m.mainThreadPercent)} % of a core, busiest other thread ${round(m.busiestOtherThreadPercent)} %; every core of the machine ${Math.round(m.machineBusyPercent)} % busy)`,
      });
      const ratio = (m: Measured) => m.load.p99 / Math.max(api.load.p99, 1);
      const pushedRow = (metric: string, m: Measured): BenchRow => ({
        scenario: 'default-mode',
        metric,
        value: m.pushed,
        // Requests still in flight when the load stops are booked (and pushed) but not counted as answered.
        unit: `pushed of ${m.booked} bookings answered`,
        target: '>= booked',
        pass: m.pushed >= m.booked,
      });
      return [
        row('API alone', api),
        {
          ...row('default mode (worker threads)', threads),
          ceiling: api.load.p99,
          ratio: ratio(threads),
          ...atMost(round(ratio(threads)), 2),
        },
        pushedRow('default mode: every booking pushed', threads),
        { ...row('one event loop (QUEUEBELL_WORKER_THREADS=0)', oneLoop), ceiling: api.load.p99, ratio: ratio(oneLoop) },
        pushedRow('one event loop: every booking pushed', oneLoop),
        cpuRow('API alone', api),
        cpuRow('default mode', threads),
        cpuRow('one event loop', oneLoop),
      ] satisfies BenchRow[];
    } finally {
      await fakes.stop();
    }
  },
};

export const defaultModeScenarios: Scenario[] = [defaultMode];
