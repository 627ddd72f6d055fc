/**
 * What every queue-service bench server needs: a configuration on a fresh data dir with the rate
 * limits out of the way, and a company seeded through the admin API as an integrator would.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../src/platform/config.js';
import type { SteadyRequest } from '../lib/steady.js';

export const BENCH_ADMIN_TOKEN = 'bench-admin-token-0123456789';

export function benchConfig(
  name: string,
  env: Record<string, string> = {},
): Config & { adminToken: string; masterKey: string; dataDir: string } {
  const dataDir = mkdtempSync(join(tmpdir(), `queuebell-bench-${name}-`));
  // A bench server ends with process.exit once its service closed: its database goes with it (tens of MB a run).
  process.once('exit', () => rmSync(dataDir, { recursive: true, force: true }));
  return {
    ...loadConfig({
      ...process.env,
      QUEUEBELL_DATA_DIR: dataDir,
      QUEUEBELL_QUEUE_PORT: '0',
      QUEUEBELL_LOG_LEVEL: 'warn',
      QUEUEBELL_RATE_LIMIT_KEY_PER_MINUTE: '100000000',
      QUEUEBELL_RATE_LIMIT_ADDRESS_PER_MINUTE: '100000000',
      ...env,
    }),
    adminToken: BENCH_ADMIN_TOKEN,
    masterKey: 'bench-master-key-0123456789abcdef0123456789',
  };
}

export type Call = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<any>;

export function apiCaller(url: string): Call {
  return async (method, path, body, headers = {}) => {
    const response = await fetch(url + path, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return response.status === 204 ? null : response.json();
  };
}

/**
 * A bench plays thousands of people with fewer users from one address: the fair-use limits stay on
 * (their checks are part of what a booking costs) but high enough never to refuse. The open-ticket
 * count walks what its holder holds, so the fewer the users, the more each booking pays for it.
 */
const BENCH_FAIR_USE = { maxOpenTicketsPerUser: 1000, maxOpenTicketsPerContact: 1000, bookingsPerAddressPerHour: 1_000_000 };

/** Users are created this many at a time: a thousand take well under a second. */
const USERS_PER_BATCH = 32;

export interface BenchCompanyOptions {
  scopes: string[];
  queueSettings?: Record<string, unknown>;
  /** A counter serving the queue, opened with the key (needs the operator scope). */
  openCounter?: boolean;
  webhookUrl?: string;
  /** The destination's signing secret (a push server source's); generated when absent. */
  webhookSecret?: string;
  users: number;
  /** How many queues in the place (default 1), for loads that must not all wait on one queue's row. */
  queues?: number;
}

export interface BenchCompany {
  companyId: string;
  key: string;
  queueId: string;
  /** Every queue, `queueId` first. */
  queueIds: string[];
  endpointId: string | null;
  tokens: string[];
}

export async function seedBenchCompany(call: Call, options: BenchCompanyOptions): Promise<BenchCompany> {
  const admin = { authorization: `Bearer ${BENCH_ADMIN_TOKEN}` };
  const company = await call('POST', '/admin/companies', { name: 'Bench' }, admin);
  const { key } = await call('POST', `/admin/companies/${company.id}/keys`, { scopes: options.scopes }, admin);
  const place = await call('POST', `/admin/companies/${company.id}/places`, { name: 'Bench place', timeZone: 'Europe/Paris' }, admin);
  const queue = await call(
    'POST',
    `/admin/places/${place.id}/queues`,
    { name: 'Bench queue', settings: { ...BENCH_FAIR_USE, ...options.queueSettings } },
    admin,
  );
  const queueIds = [queue.id as string];
  for (let i = 1; i < (options.queues ?? 1); i++) {
    const more = { name: `Bench queue ${i + 1}`, settings: { ...BENCH_FAIR_USE, ...options.queueSettings } };
    queueIds.push((await call('POST', `/admin/places/${place.id}/queues`, more, admin)).id);
  }
  let endpointId: string | null = null;
  if (options.openCounter) {
    endpointId = (await call('POST', `/admin/places/${place.id}/endpoints`, { name: 'Counter 1', queueIds: [queue.id] }, admin)).id;
    await call('PUT', `/v2/endpoints/${endpointId}`, { isOpen: true }, { 'x-api-key': key });
  }
  if (options.webhookUrl) {
    const destination = { url: options.webhookUrl, ...(options.webhookSecret ? { secret: options.webhookSecret } : {}) };
    await call('POST', `/admin/companies/${company.id}/webhooks`, destination, admin);
  }
  const tokens: string[] = [];
  while (tokens.length < options.users) {
    const batch = Math.min(USERS_PER_BATCH, options.users - tokens.length);
    const created = await Promise.all(Array.from({ length: batch }, () => call('POST', '/v2/users', undefined, { 'x-api-key': key })));
    tokens.push(...created.map((user) => user.jwtToken as string));
  }
  return { companyId: company.id, key, queueId: queue.id, queueIds, endpointId, tokens };
}

/** The `i`-th booking of a steady load (steady.ts) on the seeded queue, by the company's users in turn. */
export function steadyBooking(company: Pick<BenchCompany, 'key' | 'queueId' | 'tokens'>, i: number, pushId: string): SteadyRequest {
  return {
    path: `/v2/queues/${company.queueId}/ticket`,
    headers: {
      'content-type': 'application/json',
      'x-api-key': company.key,
      authorization: `Bearer ${company.tokens[i % company.tokens.length]}`,
    },
    body: JSON.stringify({ pushId, sendClientPush: true }),
  };
}
