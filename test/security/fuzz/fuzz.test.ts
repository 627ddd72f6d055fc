/**
 * The schema-driven fuzzer (docs/security.md §What the HTTP edge checks): every route of both
 * services, read from their /openapi.json, gets its generated variants (generate.ts), with the
 * credentials the route asks for. Each answer must be below 500, every 4xx must be in the one
 * error shape, and a refused request must leave every table as it was (row counts, ticket and
 * operator versions, compared around every refused request that could write: a batch of refused
 * writes at once, or one alone when its batch also had an accepted one). Both services are fuzzed
 * at once, each with a few requests in flight, on keep-alive connections (fetch's own pool).
 * FUZZ_LOG=<file> appends one line per request (time, status, route, variant) to find a slow one.
 */
import { appendFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Engine } from '../../../src/platform/db/database.js';
import { buildPushApp } from '../../../src/push-server/app.js';
import { migratePushDatabase, openPushDatabase } from '../../../src/push-server/db/connect.js';
import { createPushDeps } from '../../../src/push-server/deps.js';
import type { HttpServer } from '../../../src/platform/http/server.js';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../../support/engines.js';
import { ADMIN_TOKEN, QueueHarness, expectStatus } from '../../queue-service/support/harness.js';
import { book, createUser, loginOperator, setUpCompany } from '../../queue-service/support/company.js';
import { type Credentials, type FuzzRequest, operationsOf, variantsOf } from './generate.js';

/** At least this many requests per engine, spread over both services' routes. */
const MIN_REQUESTS = 10_000;
/** Requests in flight at once against one service (reads, and writes between two snapshots). */
const CONCURRENCY = 8;
/** A write whose valid-looking request took longer than this sends its other variants one at a time. */
const SLOW_ALONE_MS = 200;

interface Target {
  name: string;
  base: string;
  credentials: Credentials;
  snapshot: () => Promise<string>;
}

async function tableSignature(db: Kysely<any>, engine: Engine): Promise<() => Promise<string>> {
  const tables = (
    engine === 'sqlite'
      ? await sql<{
          name: string;
        }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%'`.execute(db)
      : await sql<{
          name: string;
        }>`select tablename as name from pg_tables where schemaname = current_schema() and tablename not like 'kysely_%'`.execute(db)
  ).rows.map((row) => row.name);
  const extras: Record<string, string> = { tickets: 'sum(version)', operators: 'sum(token_version)', queues: 'sum(length(settings))' };
  const columns = tables.flatMap((table) => {
    const parts = [`(select count(*) from "${table}") as "${table}"`];
    if (extras[table]) parts.push(`(select ${extras[table]} from "${table}") as "${table}_x"`);
    return parts;
  });
  const query = sql.raw(`select ${columns.join(', ')}`);
  return async () => JSON.stringify((await query.execute(db)).rows[0], (_, v) => (typeof v === 'bigint' ? String(v) : v));
}

/**
 * A request unanswered this long is a hang. A password check (scrypt, slow on purpose) takes
 * seconds when eight helpers share two cores, so the bound is generous.
 */
const NO_ANSWER_MS = 30_000;

/** Keep-alive connections for every request of the run (node:http: less work per request than fetch). */
const agent = new Agent({ keepAlive: true, maxSockets: 16 });

function send(base: string, request: FuzzRequest): Promise<{ status: number; text: string }> {
  // The path and query as fetch would send them: WHATWG URL parsing escapes what a raw path may not carry.
  const url = new URL(base + request.url);
  return new Promise((resolve, reject) => {
    const body = request.body === undefined ? undefined : Buffer.from(request.body);
    const outgoing = httpRequest(
      url,
      {
        method: request.method,
        agent,
        headers: { ...request.headers, ...(body ? { 'content-length': String(body.length) } : {}) },
        timeout: NO_ANSWER_MS,
      },
      (response) => {
        if (response.headers['content-type']?.startsWith('text/event-stream')) {
          response.destroy();
          return resolve({ status: response.statusCode ?? 0, text: '' });
        }
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${NO_ANSWER_MS / 1000} s`)));
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

describeEachEngine('schema-driven fuzzer', (engine) => {
  let queue: QueueHarness;
  let push: { app: HttpServer; base: string; testDb: TestDatabase; close(): Promise<void>; db: Kysely<any> };
  const targets: Target[] = [];

  beforeAll(async () => {
    queue = await QueueHarness.start(engine, {
      QUEUEBELL_RATE_LIMIT_ADDRESS_PER_MINUTE: '100000000',
      QUEUEBELL_RATE_LIMIT_KEY_PER_MINUTE: '100000000',
    });
    const co = await setUpCompany(queue, 'Fuzz');
    const user = await createUser(queue, co);
    const ticket = expectStatus(await book(queue, co, user.token), 201);
    const operatorToken = await loginOperator(queue, co);
    const operatorId = (await queue.admin('GET', `/admin/companies/${co.companyId}/operators`)).body[0].id;
    const queueIds: Record<string, string> = {
      companyId: co.companyId,
      placeId: co.placeId,
      queueId: co.queueId,
      endpointId: co.endpointId,
      ticketId: ticket.id,
      operatorId,
      webhookId: co.webhookId,
      userId: user.userId,
    };
    targets.push({
      name: 'queue service',
      base: queue.url,
      snapshot: await tableSignature(queue.db as Kysely<any>, engine),
      credentials: {
        idFor: (name) => queueIds[name],
        forScheme: (scheme) =>
          (
            ({
              adminToken: { authorization: `Bearer ${ADMIN_TOKEN}` },
              apiKey: { 'x-api-key': co.bookingKey },
              apiKeyQuery: { 'x-api-key': co.bookingKey },
              userToken: { authorization: `Bearer ${user.token}` },
              operatorToken: { authorization: `Bearer ${operatorToken}` },
            }) as Record<string, Record<string, string>>
          )[scheme] ?? {},
      },
    });

    const testDb = await createTestDatabase(engine);
    const database = openPushDatabase(testDb.target);
    await migratePushDatabase(database);
    const deps = createPushDeps({
      database,
      masterKey: 'fuzz-master-key-0123456789-0123456789-abcdef',
      adminToken: ADMIN_TOKEN,
      allowPrivateEndpoints: false,
      rateLimitPerAddressPerMinute: 100_000_000,
    });
    const app = await buildPushApp(deps);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    push = {
      app,
      base,
      testDb,
      db: deps.db as Kysely<any>,
      close: async () => {
        await app.close();
        await deps.ingest.flush();
        await database.close();
        await testDb.drop();
      },
    };
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
    const created = await (await fetch(`${base}/admin/apps`, { method: 'POST', headers: admin, body: '{"name":"fuzz"}' })).json();
    const registered = await (
      await fetch(`${base}/v1/apps/${created.appId}/devices`, {
        method: 'POST',
        headers: { 'x-app-key': created.appKey, 'content-type': 'application/json' },
        body: JSON.stringify({ provider: 'fcm', token: 'fuzz-device-token' }),
      })
    ).json();
    const source = await (
      await fetch(`${base}/admin/apps/${created.appId}/sources`, { method: 'POST', headers: admin, body: '{"name":"fuzz"}' })
    ).json();
    const pushIds: Record<string, string | undefined> = {
      appId: created.appId,
      pushId: registered.pushId,
      deviceId: registered.deviceId ?? registered.device?.id,
      sourceId: source.sourceId ?? source.id,
    };
    targets.push({
      name: 'push server',
      base,
      snapshot: await tableSignature(push.db, engine),
      credentials: {
        idFor: (name) => pushIds[name],
        forScheme: (scheme) =>
          (
            ({
              adminToken: { authorization: `Bearer ${ADMIN_TOKEN}` },
              appKey: { 'x-app-key': created.appKey },
              serverKey: { 'x-server-key': created.serverKey },
              pushIdSecret: { authorization: `Bearer ${registered.secret}` },
            }) as Record<string, Record<string, string>>
          )[scheme] ?? {},
      },
    });
  });
  afterAll(async () => {
    await queue?.close();
    await push?.close();
  });

  it('answers every generated request below 500, refuses in the error shape, and changes no row when it refuses', async () => {
    const plans = await Promise.all(
      targets.map(async (target) => {
        const doc = await (await fetch(`${target.base}/openapi.json`)).json();
        // Admin routes last and deletions at the very end, so the fixture lives as long as possible.
        const ops = operationsOf(doc).sort(
          (a, b) =>
            Number(a.path.startsWith('/admin')) - Number(b.path.startsWith('/admin')) ||
            Number(a.method === 'DELETE') - Number(b.method === 'DELETE'),
        );
        return { target, ops, requests: ops.map((op) => ({ op, variants: variantsOf(op, target.credentials) })) };
      }),
    );
    const generated = plans.reduce((n, plan) => n + plan.requests.reduce((m, r) => m + r.variants.length, 0), 0);
    // Repeat the variants in rounds until the total reaches the floor.
    const rounds = Math.max(1, Math.ceil(MIN_REQUESTS / generated));
    if (process.env.FUZZ_LOG) appendFileSync(process.env.FUZZ_LOG, `generated ${generated}, rounds ${rounds}\n`);
    const problems: string[] = [];
    let sent = 0;
    const routesSeen = new Set<string>();
    // Password checks are slow on purpose: a route slower than this on average runs one round only.
    const slowMs = 50;
    const spent = new Map<string, number>();

    /** Sends one request and checks its answer (below 500, a 4xx in the error shape); the status. */
    const sendAndCheck = async (target: Target, request: FuzzRequest, round: number): Promise<number> => {
      const started = performance.now();
      const { status, text } = await send(target.base, request).catch((error: Error) => ({ status: 0, text: error.message }));
      const operation = `${target.name} ${request.operation}`;
      if (round === 0) spent.set(operation, (spent.get(operation) ?? 0) + performance.now() - started);
      if (process.env.FUZZ_LOG)
        appendFileSync(
          process.env.FUZZ_LOG,
          `${Math.round(performance.now() - started)}ms ${status} ${target.name} ${request.method} ${request.url.slice(0, 80)} [${request.variant}]\n`,
        );
      if (status === 0) problems.push(`${operation} [${request.variant}]: no answer (${text})`);
      sent += 1;
      routesSeen.add(operation);
      const where = `${operation} [${request.variant}] → ${status}`;
      if (status >= 500) problems.push(`${where}: ${text.slice(0, 200)}`);
      if (status >= 400 && status < 500) {
        let shaped = false;
        try {
          const body = JSON.parse(text);
          shaped = typeof body?.error?.code === 'string' && typeof body.error.message === 'string';
        } catch {}
        if (!shaped) problems.push(`${where}: not the error shape: ${text.slice(0, 200)}`);
      }
      return status;
    };

    /**
     * One target's plan. Reads (GET) change nothing and need no snapshot: up to CONCURRENCY at a
     * time. Writes go in batches of up to CONCURRENCY at a time with one snapshot after the batch:
     * when every request of the batch was refused and no row changed, each of them is proven to
     * have changed nothing. When one was accepted (its rows hide the others'), or rows changed,
     * every refused request of the batch is sent again alone between two snapshots, the check
     * the whole fuzzer made before; an operation that had an accepted variant sends the rest of
     * its variants one at a time.
     */
    const runTarget = async ({ target, requests }: (typeof plans)[number]) => {
      let before = await target.snapshot();
      /** Sends `request` between two snapshots; how long its answer took (ms). */
      const alone = async (request: FuzzRequest, round: number): Promise<number> => {
        const started = performance.now();
        const status = await sendAndCheck(target, request, round);
        const took = performance.now() - started;
        const after = await target.snapshot();
        if (status >= 400 && after !== before)
          problems.push(`${target.name} ${request.operation} [${request.variant}] → ${status}: a refused request changed rows`);
        before = after;
        return took;
      };
      for (let round = 0; round < rounds; round++) {
        for (const { variants } of requests) {
          const operation = `${target.name} ${variants[0]?.operation}`;
          if (round > 0 && ((spent.get(operation) ?? 0) / variants.length > slowMs || sent >= MIN_REQUESTS)) continue;
          if (problems.length > 30) break;
          if (variants[0]?.method === 'GET') {
            for (let i = 0; i < variants.length; i += CONCURRENCY)
              await Promise.all(variants.slice(i, i + CONCURRENCY).map((request) => sendAndCheck(target, request, round)));
            continue;
          }
          // The valid-looking base request is usually accepted: alone, so that its batch is not spoiled.
          const [first, ...rest] = variants;
          // A slow route (a password to hash or check, a key pair to make) is slow on purpose: one at a time.
          let oneAtATime = (first ? await alone(first, round) : 0) > SLOW_ALONE_MS;
          for (let i = 0; i < rest.length; i += oneAtATime ? 1 : CONCURRENCY) {
            if (oneAtATime) {
              await alone(rest[i]!, round);
              continue;
            }
            const batch = rest.slice(i, i + CONCURRENCY);
            const statuses = await Promise.all(batch.map((request) => sendAndCheck(target, request, round)));
            const after = await target.snapshot();
            const accepted = statuses.some((status) => status < 400);
            if (!accepted && after === before) continue;
            before = after;
            oneAtATime ||= accepted;
            for (const [j, request] of batch.entries()) if (statuses[j]! >= 400) await alone(request, round);
          }
        }
      }
    };
    await Promise.all(plans.map(runTarget));
    expect(problems).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(MIN_REQUESTS);
    expect(routesSeen.size).toBe(plans.reduce((n, plan) => n + plan.ops.length, 0));
  }, 600_000);
});
