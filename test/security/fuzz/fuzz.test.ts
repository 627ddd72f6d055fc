/**
 * The schema-driven fuzzer (docs/security.md §What the HTTP edge checks): every route of both
 * services, read from their /openapi.json, gets its generated variants (generate.ts), with the
 * credentials the route asks for. Each answer must be below 500, every 4xx must be in the one
 * error shape, and a refused request must leave every table as it was (row counts, ticket and
 * operator versions, checked after each refused request that could write).
 * FUZZ_LOG=<file> appends one line per request (time, status, route, variant) to find a slow one.
 */
import { appendFileSync } from 'node:fs';
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

async function send(base: string, request: FuzzRequest): Promise<{ status: number; text: string }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 5_000);
  try {
    const response = await fetch(base + request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: controller.signal,
    });
    if (response.headers.get('content-type')?.startsWith('text/event-stream')) {
      controller.abort();
      return { status: response.status, text: '' };
    }
    return { status: response.status, text: await response.text() };
  } finally {
    clearTimeout(timer);
  }
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
    for (const { target, requests } of plans) {
      let before = await target.snapshot();
      for (let round = 0; round < rounds; round++) {
        for (const { variants } of requests) {
          const operation = `${target.name} ${variants[0]?.operation}`;
          if (round > 0 && ((spent.get(operation) ?? 0) / variants.length > slowMs || sent >= MIN_REQUESTS)) continue;
          for (const request of variants) {
            const started = performance.now();
            const answer = await send(target.base, request).catch((error: Error) => ({ status: 0, text: error.message }));
            const { status, text } = answer;
            if (round === 0) spent.set(operation, (spent.get(operation) ?? 0) + performance.now() - started);
            if (process.env.FUZZ_LOG)
              appendFileSync(
                process.env.FUZZ_LOG,
                `${Math.round(performance.now() - started)}ms ${status} ${target.name} ${request.method} ${request.url.slice(0, 80)} [${request.variant}]\n`,
              );
            if (status === 0) problems.push(`${target.name} ${request.operation} [${request.variant}]: no answer (${text})`);
            sent += 1;
            routesSeen.add(`${target.name} ${request.operation}`);
            const where = `${target.name} ${request.operation} [${request.variant}] → ${status}`;
            if (status >= 500) problems.push(`${where}: ${text.slice(0, 200)}`);
            if (status >= 400 && status < 500) {
              let shaped = false;
              try {
                const body = JSON.parse(text);
                shaped = typeof body?.error?.code === 'string' && typeof body.error.message === 'string';
              } catch {}
              if (!shaped) problems.push(`${where}: not the error shape: ${text.slice(0, 200)}`);
            }
            if (request.method === 'GET') continue;
            const after = await target.snapshot();
            if (status >= 400 && after !== before) problems.push(`${where}: a refused request changed rows`);
            before = after;
            if (problems.length > 30) break;
          }
        }
      }
    }
    expect(problems).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(MIN_REQUESTS);
    expect(routesSeen.size).toBe(plans.reduce((n, plan) => n + plan.ops.length, 0));
  }, 600_000);
});
