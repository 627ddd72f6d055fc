/**
 * Every setting in one place (docs/design.md §Configuration): its environment variable, default and meaning.
 * `loadConfig` validates them all and reports every problem at once; `redactedConfig` is the copy
 * that may be logged.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import ipaddr from 'ipaddr.js';
import { databaseTarget } from './db/database-url.js';

export interface Config {
  queuePort: number;
  pushPort: number;
  /**
   * Where a worker-only process (`queue-service --role worker`) serves /healthz, /readyz and
   * /metrics; 0 takes any free port (logged at start). A taken port stops the start.
   */
  queueWorkerPort: number;
  /** The same for `push-server --role worker`. */
  pushWorkerPort: number;
  host: string;
  dataDir: string;
  /** Queue service database: a postgres:// URL or an SQLite file path. */
  databaseUrl: string;
  pushDatabaseUrl: string;
  /** Null when neither the environment nor the data dir holds one yet (see ensureAdminToken). */
  adminToken: string | null;
  masterKey: string | null;
  allowPrivateWebhooks: boolean;
  smtpUrl: string | null;
  mailFrom: string;
  sms: SmsConfig | null;
  demo: boolean;
  logLevel: string;
  /** Requests per minute allowed per API key on the public routes. */
  rateLimitPerKeyPerMinute: number;
  /** Requests per minute allowed per client address on the public routes. */
  rateLimitPerAddressPerMinute: number;
  /** Requests per minute allowed per client address on the push server's registration and results routes. */
  pushRateLimitPerAddressPerMinute: number;
  /** Messages due this long while no dispatcher records an outcome: delivery is stalled (/readyz, /metrics). */
  deliveryStallSeconds: number;
  /**
   * The CLI runs the dispatcher, the scheduler and the push worker each in a worker thread of its
   * own, beside the API on the main thread (docs/design.md §Workers); 0 keeps them on one event loop.
   */
  workerThreads: boolean;
  /**
   * How many nice steps below the API's thread those worker threads run (Linux, 0–19): on a machine
   * short of cores a booking does not wait for a core behind a delivery. 0 runs them alike.
   */
  workerNice: number;
  /**
   * Where people and other hosts reach the queue service (`https://queue.example.com`), behind a
   * proxy or on another interface than it binds: used in printed links and by the pages. Null: its own address.
   */
  queuePublicUrl: string | null;
  /** The same for the push server: the ingest URLs it hands out, the pages' registration URL, the VAPID contact. */
  pushPublicUrl: string | null;
  /**
   * The contact (`mailto:` or `https:`) every Web Push request names in its VAPID JWT (`sub`,
   * RFC 8292 §2.1), for apps that did not give one: push services write to it when this server
   * misbehaves. Default: the first https: public URL (push server's, then queue service's); else null.
   */
  pushVapidSubject: string | null;
  /**
   * Addresses or CIDR ranges of the reverse proxies in front of both services: a request from one
   * of them is taken to come from the client X-Forwarded-For names (rate limits, logs). Empty: nobody is trusted.
   */
  trustProxy: string[];
  /** One log line per request answered (method, URL without credentials, status, time). */
  accessLog: boolean;
  /**
   * Days the push server keeps messages, finished pushes and finished receipts (docs/design.md
   * §Retention). At least 1: a redelivered webhook-id is recognised for 24 hours.
   */
  pushRetentionDays: number;
  /** Spans exported over OTLP/HTTP (docs/design.md §Traces); null: tracing off, the SDK never loaded. */
  tracing: TracingConfig | null;
}

/** The standard OpenTelemetry variables this service honours; the exporter reads the others (headers, timeout) itself. */
export interface TracingConfig {
  /** Where spans are POSTed: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as given, or OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces. */
  tracesUrl: string;
  /** OTEL_SERVICE_NAME; null: each service names itself (queuebell-queue-service, queuebell-push-server). */
  serviceName: string | null;
}

/** A week of push history answers "what became of last week's pushes"; older is of no use to anyone. */
export const DEFAULT_PUSH_RETENTION_DAYS = 7;

/** A browser registers once and reads its results now and then; 10 a second leaves room for a shared address. */
export const DEFAULT_PUSH_RATE_LIMIT_ADDRESS_PER_MINUTE = 600;

export interface SmsConfig {
  provider: 'twilio';
  baseUrl: string;
  accountSid: string;
  authToken: string;
  from: string;
  /** The URL the provider posts inbound texts to, as it signs it; by default the URL as requested. */
  inboundUrl: string | null;
}

type Env = Record<string, string | undefined>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

/**
 * What `npm start` (`queuebell start --demo`) changes: the demo data and fakes, and webhooks to the
 * local push server on a loopback address. Either can still be turned off with 0.
 */
export function withDemoDefaults(env: Env): Env {
  return {
    ...env,
    QUEUEBELL_DEMO: env.QUEUEBELL_DEMO || '1',
    QUEUEBELL_ALLOW_PRIVATE_WEBHOOKS: env.QUEUEBELL_ALLOW_PRIVATE_WEBHOOKS || '1',
  };
}

export function loadConfig(env: Env = process.env, overrides: Partial<Config> = {}): Config {
  const problems: string[] = [];
  const wholeNumber = (name: string, fallback: number, min: number, max: number, expected: string): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) problems.push(`${name} must be ${expected}, got "${raw}"`);
    return value;
  };
  const port = (name: string, fallback: number) => wholeNumber(name, fallback, 0, 65535, 'a port number');
  const positive = (name: string, fallback: number) => wholeNumber(name, fallback, 1, Number.POSITIVE_INFINITY, 'a positive whole number');
  const flag = (name: string, fallback: boolean): boolean => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (!['0', '1', 'true', 'false'].includes(raw)) problems.push(`${name} must be 0 or 1, got "${raw}"`);
    return raw === '1' || raw === 'true';
  };
  const url = (name: string, protocols: string[]): string | null => {
    const raw = env[name];
    if (!raw) return null;
    try {
      const parsed = new URL(raw);
      if (!protocols.includes(parsed.protocol)) problems.push(`${name} must use ${protocols.join(' or ')}`);
    } catch {
      problems.push(`${name} is not a URL`);
    }
    return raw;
  };

  const dataDir = resolve(env.QUEUEBELL_DATA_DIR || './data');
  const queuePort = port('QUEUEBELL_QUEUE_PORT', 8080);
  const host = env.QUEUEBELL_HOST || '127.0.0.1';
  const config: Config = {
    queuePort,
    pushPort: port('QUEUEBELL_PUSH_PORT', 8090),
    queueWorkerPort: port('QUEUEBELL_QUEUE_WORKER_PORT', 8081),
    pushWorkerPort: port('QUEUEBELL_PUSH_WORKER_PORT', 8091),
    host,
    dataDir,
    databaseUrl: databaseTarget('QUEUEBELL_DATABASE_URL', env.QUEUEBELL_DATABASE_URL || join(dataDir, 'queue-service.sqlite'), problems),
    pushDatabaseUrl: databaseTarget(
      'QUEUEBELL_PUSH_DATABASE_URL',
      env.QUEUEBELL_PUSH_DATABASE_URL || join(dataDir, 'push-server.sqlite'),
      problems,
    ),
    adminToken: env.QUEUEBELL_ADMIN_TOKEN || readDataFile(dataDir, 'admin-token'),
    masterKey: env.QUEUEBELL_MASTER_KEY || readDataFile(dataDir, 'master-key'),
    allowPrivateWebhooks: flag('QUEUEBELL_ALLOW_PRIVATE_WEBHOOKS', false),
    smtpUrl: url('QUEUEBELL_SMTP_URL', ['smtp:', 'smtps:']),
    mailFrom: env.QUEUEBELL_MAIL_FROM || 'queuebell <no-reply@queuebell.local>',
    sms: smsConfig(env, problems),
    demo: flag('QUEUEBELL_DEMO', false),
    logLevel: env.QUEUEBELL_LOG_LEVEL || 'info',
    rateLimitPerKeyPerMinute: positive('QUEUEBELL_RATE_LIMIT_KEY_PER_MINUTE', 60_000),
    rateLimitPerAddressPerMinute: positive('QUEUEBELL_RATE_LIMIT_ADDRESS_PER_MINUTE', 1_200),
    pushRateLimitPerAddressPerMinute: positive('QUEUEBELL_PUSH_RATE_LIMIT_ADDRESS_PER_MINUTE', DEFAULT_PUSH_RATE_LIMIT_ADDRESS_PER_MINUTE),
    deliveryStallSeconds: positive('QUEUEBELL_DELIVERY_STALL_SECONDS', 60),
    workerThreads: flag('QUEUEBELL_WORKER_THREADS', true),
    workerNice: wholeNumber('QUEUEBELL_WORKER_NICE', 10, 0, 19, 'a whole number from 0 to 19'),
    queuePublicUrl: publicUrl('QUEUEBELL_PUBLIC_URL', env, problems),
    pushPublicUrl: publicUrl('QUEUEBELL_PUSH_PUBLIC_URL', env, problems),
    pushVapidSubject: null,
    trustProxy: proxyList(env.QUEUEBELL_TRUST_PROXY, problems),
    accessLog: flag('QUEUEBELL_ACCESS_LOG', false),
    tracing: tracingConfig(env, problems),
    pushRetentionDays: positive('QUEUEBELL_PUSH_RETENTION_DAYS', DEFAULT_PUSH_RETENTION_DAYS),
    ...overrides,
  };
  config.pushVapidSubject = overrides.pushVapidSubject ?? vapidSubject(env, config, problems);
  if (config.adminToken !== null && config.adminToken.length < 16) problems.push('QUEUEBELL_ADMIN_TOKEN must be at least 16 characters');
  if (config.masterKey !== null && config.masterKey.length < 32) problems.push('QUEUEBELL_MASTER_KEY must be at least 32 characters');
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(config.logLevel)) {
    problems.push(`QUEUEBELL_LOG_LEVEL must be a pino level, got "${config.logLevel}"`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** An http(s) origin, optionally with a path prefix; kept without its trailing slash. */
function publicUrl(name: string, env: Env, problems: string[]): string | null {
  const raw = env[name];
  if (!raw) return null;
  try {
    const parsed = new URL(raw);
    if (!['http:', 'https:'].includes(parsed.protocol) || parsed.search || parsed.hash || parsed.username) {
      problems.push(`${name} must be an http:// or https:// URL without query or credentials, got "${raw}"`);
    }
    return `${parsed.origin}${parsed.pathname}`.replace(/\/+$/, '');
  } catch {
    problems.push(`${name} is not a URL, got "${raw}"`);
    return null;
  }
}

/**
 * QUEUEBELL_PUSH_VAPID_SUBJECT, else the operator's public https: URL: a push service may only be
 * given a mailto: or https: contact, so an http: public URL (a local setup) is no contact at all.
 */
function vapidSubject(env: Env, config: Config, problems: string[]): string | null {
  const raw = env.QUEUEBELL_PUSH_VAPID_SUBJECT;
  if (raw) {
    if (!isVapidSubject(raw)) problems.push(`QUEUEBELL_PUSH_VAPID_SUBJECT must be a mailto: address or an https:// URL, got "${raw}"`);
    return raw;
  }
  return [config.pushPublicUrl, config.queuePublicUrl].find((url) => url?.startsWith('https://')) ?? null;
}

/** What RFC 8292 §2.1 allows as the `sub` of a VAPID JWT. */
function isVapidSubject(value: string): boolean {
  return /^mailto:[^@\s]+@[^@\s]+$/.test(value) || /^https:\/\/[^\s/]+/.test(value);
}

/** Comma-separated IPv4/IPv6 addresses and CIDR ranges. */
function proxyList(raw: string | undefined, problems: string[]): string[] {
  if (!raw) return [];
  const entries = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  for (const entry of entries) {
    const valid = entry.includes('/') ? isCidr(entry) : ipaddr.isValid(entry);
    if (!valid) problems.push(`QUEUEBELL_TRUST_PROXY: "${entry}" is not an IP address or CIDR range`);
  }
  return entries;
}

function isCidr(entry: string): boolean {
  try {
    ipaddr.parseCIDR(entry);
    return true;
  } catch {
    return false;
  }
}

/**
 * On only when an OTLP endpoint is named, and off again with OTEL_SDK_DISABLED=true or
 * OTEL_TRACES_EXPORTER=none, as the OpenTelemetry specification asks of every SDK.
 */
function tracingConfig(env: Env, problems: string[]): TracingConfig | null {
  const { OTEL_EXPORTER_OTLP_ENDPOINT: base, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: traces, OTEL_TRACES_EXPORTER: exporter } = env;
  if (!base && !traces) return null;
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return null;
  const exporters = (exporter ?? 'otlp').split(',').map((name) => name.trim().toLowerCase());
  if (exporters.includes('none')) return null;
  if (exporters.some((name) => name !== 'otlp' && name !== '')) problems.push(`OTEL_TRACES_EXPORTER: only otlp or none, got "${exporter}"`);
  const tracesUrl = traces || `${base!.replace(/\/+$/, '')}/v1/traces`;
  try {
    if (!['http:', 'https:'].includes(new URL(tracesUrl).protocol)) problems.push('the OTLP endpoint must be an http:// or https:// URL');
  } catch {
    problems.push(`the OTLP endpoint is not a URL, got "${tracesUrl}"`);
  }
  return { tracesUrl, serviceName: env.OTEL_SERVICE_NAME?.trim() || null };
}

function smsConfig(env: Env, problems: string[]): SmsConfig | null {
  const {
    QUEUEBELL_SMS_BASE_URL: baseUrl,
    QUEUEBELL_SMS_ACCOUNT_SID: accountSid,
    QUEUEBELL_SMS_AUTH_TOKEN: authToken,
    QUEUEBELL_SMS_FROM: from,
    QUEUEBELL_SMS_INBOUND_URL: inboundUrl,
  } = env;
  if (!accountSid && !authToken && !from) return null;
  if (!accountSid || !authToken || !from) {
    problems.push('SMS needs QUEUEBELL_SMS_ACCOUNT_SID, QUEUEBELL_SMS_AUTH_TOKEN and QUEUEBELL_SMS_FROM together');
    return null;
  }
  return { provider: 'twilio', baseUrl: baseUrl || 'https://api.twilio.com', accountSid, authToken, from, inboundUrl: inboundUrl || null };
}

function readDataFile(dataDir: string, name: string): string | null {
  const path = join(dataDir, name);
  return existsSync(path) ? readFileSync(path, 'utf8').trim() || null : null;
}

/**
 * Generates a secret the first time it is needed and keeps it in the data dir (0700) as a file only
 * its owner reads (0600), so the next start finds it. The file is created exclusively: of two first
 * starts racing, one writes it and the other reads the winner's value. Returns whether it was
 * generated now, which is when it gets printed.
 */
export function ensureDataSecret(dataDir: string, name: 'admin-token' | 'master-key', prefix = ''): { value: string; generated: boolean } {
  const existing = readDataFile(dataDir, name);
  if (existing) return { value: existing, generated: false };
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const value = prefix + randomBytes(32).toString('base64url');
  const path = join(dataDir, name);
  try {
    writeFileSync(path, `${value}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600);
    return { value, generated: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  // The winner created the file an instant ago and may not have written it yet: wait up to a second.
  for (let attempt = 0; attempt < 100; attempt++) {
    const written = readDataFile(dataDir, name);
    if (written) return { value: written, generated: false };
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
  }
  throw new Error(`${path} exists but is empty: delete it to generate a new ${name}`);
}

const SECRET_KEYS = new Set<keyof Config>(['adminToken', 'masterKey']);

export function redactedConfig(config: Config): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    copy[key] = SECRET_KEYS.has(key as keyof Config) && value ? '***' : value;
  }
  if (config.sms) copy.sms = { ...config.sms, authToken: '***' };
  for (const key of ['databaseUrl', 'pushDatabaseUrl', 'smtpUrl'] as const) {
    const value = config[key];
    if (value?.includes('://')) copy[key] = value.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@');
  }
  return copy;
}
