/**
 * Several hosts on PostgreSQL (docs/design.md §Storage, §Delivery, §Faults): the queue service's API,
 * its worker and the push server each run as `queuebell` would on a host of their own (a network
 * namespace, test-network.ts), with the database on the test machine reached over the test network
 * (a cluster of the test's own, pg-own-cluster.ts). Bookings stream in and are cancelled while the
 * worker's cable is pulled for 10 s: nothing acknowledged is lost, each ticket's messages reach the
 * push server in the order of its changes, and delivery resumes by itself when the cable is back.
 * Without root, iproute2 or initdb the suite is skipped with a loud message; CI runs as root.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OwnPostgresCluster, ownClusterUnavailable } from './pg-own-cluster.js';
import { freePort, sleep } from './support.js';
import { TestNetwork, testNetworkUnavailable } from './test-network.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = join(ROOT, 'src/cli/main.ts');
const ADMIN_TOKEN = 'multi-host-admin-token-0123456789';
const MASTER_KEY = 'multi-host-master-key-0123456789abcdef0123';
const OUTAGE_MS = 10_000;

const unavailable = testNetworkUnavailable() ?? ownClusterUnavailable();
if (unavailable) console.warn(`\n*** SKIPPED: the multi-host test needs network namespaces and its own cluster: ${unavailable} ***\n`);

interface Host {
  child: ChildProcess;
  output: string[];
  url: string;
}

describe.skipIf(unavailable !== null)('API, worker and push server on three hosts, the worker cut off for 10 s', () => {
  let network: TestNetwork | null = null;
  let cluster: OwnPostgresCluster | null = null;
  const hosts: Host[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'qb-multi-host-'));
  let api: Host;
  let worker: Host;
  let push: Host;
  let company: { key: string; queueId: string };

  beforeAll(async () => {
    network = TestNetwork.create(['api', 'worker', 'push']);
    cluster = await OwnPostgresCluster.create(await freePort(), { listen: [network.hostAddress], trustNetwork: network.cidr });
    const admin = new pg.Client({ connectionString: cluster.url() });
    await admin.connect();
    await admin.query('CREATE DATABASE queuebell');
    await admin.query('CREATE DATABASE push');
    await admin.end();
    // Every host reaches the database at the test machine's address on the test network.
    const databaseUrl = (name: string) => `postgres://postgres@${network!.hostAddress}:${cluster!.port}/${name}`;
    const common = { QUEUEBELL_DATABASE_URL: databaseUrl('queuebell'), QUEUEBELL_PUSH_DATABASE_URL: databaseUrl('push') };
    // All at once, as hosts boot: the API and the worker both migrate the queue database at start.
    [push, api, worker] = await Promise.all([
      startHost('push', ['push-server', '--role', 'all'], { ...common, QUEUEBELL_PUSH_PORT: '8090' }, 8090),
      startHost('api', ['queue-service', '--role', 'api'], { ...common, QUEUEBELL_QUEUE_PORT: '8080' }, 8080),
      startHost('worker', ['queue-service', '--role', 'worker'], { ...common, QUEUEBELL_QUEUE_WORKER_PORT: '8081' }, 8081),
    ]);
    company = await setUp();
  }, 90_000);

  afterAll(async () => {
    for (const host of hosts) await stopHost(host);
    network?.destroy();
    cluster?.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function startHost(name: string, args: string[], env: Record<string, string>, port: number): Promise<Host> {
    const address = network!.address(name);
    const child = network!.spawn(name, process.execPath, ['--import', 'tsx', CLI, ...args], {
      cwd: ROOT,
      env: {
        ...process.env,
        QUEUEBELL_HOST: address,
        QUEUEBELL_DATA_DIR: join(dataDir, name),
        QUEUEBELL_ADMIN_TOKEN: ADMIN_TOKEN,
        QUEUEBELL_MASTER_KEY: MASTER_KEY,
        QUEUEBELL_LOG_LEVEL: 'warn',
        // The push server's address is private: it is on the test network.
        QUEUEBELL_ALLOW_PRIVATE_WEBHOOKS: '1',
        QUEUEBELL_RATE_LIMIT_KEY_PER_MINUTE: '10000000',
        QUEUEBELL_RATE_LIMIT_ADDRESS_PER_MINUTE: '10000000',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const host: Host = { child, output: [], url: `http://${address}:${port}` };
    hosts.push(host);
    child.stdout!.on('data', (chunk: Buffer) => host.output.push(chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => host.output.push(chunk.toString()));
    const until = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${host.output.join('')}`);
      const status = await fetch(`${host.url}/readyz`).then(
        (response) => response.status,
        () => 0,
      );
      if (status === 200) return host;
      if (Date.now() > until) throw new Error(`${name} not ready within 60 s:\n${host.output.join('')}`);
      await sleep(200);
    }
  }

  /** A push app and its source on the push server; a company whose webhook is that source's ingest URL. */
  async function setUp(): Promise<{ key: string; queueId: string }> {
    const call = async (base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
      const response = await fetch(base + path, {
        method,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
      return JSON.parse(text);
    };
    const app = await call(push.url, 'POST', '/admin/apps', { name: 'Multi-host' });
    const source = await call(push.url, 'POST', `/admin/apps/${app.appId}/sources`, { name: 'queue service' });
    const created = await call(api.url, 'POST', '/admin/companies', { name: 'Multi-host' });
    const { key } = await call(api.url, 'POST', `/admin/companies/${created.id}/keys`, { scopes: ['booking'] });
    const place = await call(api.url, 'POST', `/admin/companies/${created.id}/places`, { name: 'Paris', timeZone: 'Europe/Paris' });
    // Every client books from the test's one address: its hourly booking budget is lifted.
    const queue = await call(api.url, 'POST', `/admin/places/${place.id}/queues`, {
      name: 'Accounts',
      labelPrefix: 'A',
      settings: { bookingsPerAddressPerHour: null },
    });
    await call(api.url, 'POST', `/admin/companies/${created.id}/webhooks`, {
      url: `${push.url}/v1/apps/${app.appId}/messages`,
      secret: source.secret,
    });
    return { key, queueId: queue.id };
  }

  it('loses nothing acknowledged, keeps each ticket in order, and resumes delivery by itself', async () => {
    const queueDb = new pg.Client({ connectionString: cluster!.url('queuebell') });
    const pushDb = new pg.Client({ connectionString: cluster!.url('push') });
    await queueDb.connect();
    await pushDb.connect();
    try {
      const stream = streamBookings(api.url, company);
      // Delivery is seen working before the cable goes (on a loaded machine the first push can take seconds).
      const deliveredBefore = await firstPushMessages(pushDb, 20_000);
      network!.setLink('worker', false);
      let duringOutage: [number, number];
      try {
        // What was on the wire when the cable went may still land; after that, nothing gets through.
        await sleep(2_000);
        const early = await countPushMessages(pushDb);
        await sleep(OUTAGE_MS - 2_000);
        duringOutage = [early, await countPushMessages(pushDb)];
      } finally {
        network!.setLink('worker', true);
      }
      await sleep(3_000);
      const booked = await stream.stop();

      expect(booked.failures, 'answers other than 201 and 200').toEqual([]);
      expect(booked.tickets.length).toBeGreaterThan(20);
      expect(deliveredBefore, 'delivery worked before the outage').toBeGreaterThan(0);
      expect(duringOutage[1], 'nothing reached the push server from a worker without a link').toBe(duringOutage[0]);

      const settled = await waitUntilSettled(queueDb, 60_000);
      expect(settled, 'messages still waiting 60 s after the bookings stopped').toEqual([]);
      expect(worker.child.exitCode, worker.output.join('')).toBeNull();

      const ids = booked.tickets.map((ticket) => ticket.id);
      const stored = await queueDb.query<{ id: string; version: number }>('select id, version from tickets where id = any($1)', [ids]);
      expect(
        ids.filter((id) => !stored.rows.some((row) => row.id === id)),
        'acknowledged bookings missing',
      ).toEqual([]);
      const canceled = booked.tickets.filter((ticket) => ticket.canceled).map((ticket) => ticket.id);
      expect(canceled.length).toBeGreaterThan(20);

      const messages = await queueDb.query<{ id: string; ticket_id: string; ticket_version: string; status: string }>(
        'select id, ticket_id, ticket_version, status from messages where ticket_id = any($1)',
        [ids],
      );
      expect(
        messages.rows.filter((m) => m.status !== 'delivered' && m.status !== 'superseded').map((m) => `${m.id} ${m.status}`),
        'messages neither delivered nor superseded',
      ).toEqual([]);
      const arrived = await pushDb.query<{ id: string; webhook_id: string }>('select id, webhook_id from messages order by id');
      const arrivalOrder = new Map(arrived.rows.map((row, index) => [row.webhook_id, index]));
      const byTicket = new Map<string, { version: number; status: string; arrival: number | undefined }[]>();
      for (const m of messages.rows) {
        const lane = byTicket.get(m.ticket_id) ?? [];
        lane.push({ version: Number(m.ticket_version), status: m.status, arrival: arrivalOrder.get(m.id) });
        byTicket.set(m.ticket_id, lane);
      }
      const lost: string[] = [];
      const outOfOrder: string[] = [];
      let ticketsWithSeveralArrivals = 0;
      for (const [ticketId, lane] of byTicket) {
        lane.sort((a, b) => a.version - b.version);
        const newest = lane.at(-1)!;
        if (newest.status !== 'delivered' || newest.arrival === undefined) lost.push(`${ticketId} v${newest.version}`);
        const arrivals = lane.filter((m) => m.arrival !== undefined).map((m) => m.arrival!);
        if (arrivals.length > 1) ticketsWithSeveralArrivals += 1;
        if (arrivals.some((arrival, i) => i > 0 && arrival < arrivals[i - 1]!)) outOfOrder.push(ticketId);
      }
      expect(lost, 'tickets whose newest message never reached the push server').toEqual([]);
      expect(outOfOrder, 'tickets whose messages reached the push server out of order').toEqual([]);
      expect(ticketsWithSeveralArrivals, 'tickets with more than one message at the push server, whose order is checked').toBeGreaterThan(
        0,
      );
      // Every ticket was booked and then cancelled: both changes carry a message.
      expect(byTicket.size).toBe(ids.length);
      console.log(
        `multi-host: ${ids.length} bookings (${canceled.length} cancelled), ${messages.rows.length} messages, ` +
          `${arrived.rows.length} at the push server (${ticketsWithSeveralArrivals} tickets with several, in order); ` +
          `${duringOutage[0] - deliveredBefore} landed just after the cut, none during`,
      );
    } finally {
      await queueDb.end();
      await pushDb.end();
    }
  }, 90_000);
});

interface Streamed {
  tickets: { id: string; canceled: boolean }[];
  failures: string[];
}

/** Three clients, each booking a ticket for a new user and cancelling it a moment later, until stopped. */
function streamBookings(url: string, company: { key: string; queueId: string }): { stop(): Promise<Streamed> } {
  const result: Streamed = { tickets: [], failures: [] };
  let running = true;
  const call = async (method: string, path: string, headers: Record<string, string>, body?: unknown) => {
    const response = await fetch(url + path, {
      method,
      headers: { 'x-api-key': company.key, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, text, body: text ? JSON.parse(text) : null };
  };
  const client = async (n: number) => {
    for (let i = 0; running && result.failures.length === 0; i++) {
      const user = await call('POST', '/v2/users', {});
      if (user.status !== 201) {
        result.failures.push(`user: ${user.status} ${user.text}`);
        break;
      }
      const auth = { authorization: `Bearer ${user.body.jwtToken}` };
      const booking = await call('POST', `/v2/queues/${company.queueId}/ticket`, auth, { pushId: `push-${n}-${i}`, sendClientPush: true });
      if (booking.status !== 201) {
        result.failures.push(`booking: ${booking.status} ${booking.text}`);
        break;
      }
      const ticket = { id: booking.body.ticketId as string, canceled: false };
      result.tickets.push(ticket);
      // Long enough for the booking's message to leave first while the link is up.
      await sleep(400);
      const cancel = await call('PUT', `/v2/user/tickets/${ticket.id}/cancel`, auth);
      if (cancel.status !== 200) result.failures.push(`cancel: ${cancel.status} ${cancel.text}`);
      else ticket.canceled = true;
      await sleep(100);
    }
  };
  const clients = Promise.all([0, 1, 2].map(client));
  return {
    async stop() {
      running = false;
      await clients;
      return result;
    },
  };
}

/** The push server's message count once it is above zero, or zero after `withinMs`. */
async function firstPushMessages(db: pg.Client, withinMs: number): Promise<number> {
  const until = Date.now() + withinMs;
  for (;;) {
    const count = await countPushMessages(db);
    if (count > 0 || Date.now() > until) return count;
    await sleep(200);
  }
}

async function countPushMessages(db: pg.Client): Promise<number> {
  return (await db.query<{ n: number }>('select count(*)::int as n from messages')).rows[0]!.n;
}

/** Messages not yet ended (pending or on their way), once there are none or after `timeoutMs`. */
async function waitUntilSettled(db: pg.Client, timeoutMs: number): Promise<string[]> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await db.query<{ id: string; status: string }>(
      "select id, status from messages where status in ('pending', 'delivering') order by id",
    );
    if (rows.length === 0 || Date.now() > until) return rows.map((row) => `${row.id} ${row.status}`);
    await sleep(250);
  }
}

async function stopHost(host: Host): Promise<void> {
  if (host.child.exitCode !== null || host.child.signalCode !== null) return;
  const exited = new Promise((resolve) => host.child.once('exit', resolve));
  host.child.kill('SIGTERM');
  const timer = setTimeout(() => host.child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
