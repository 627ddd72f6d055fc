/**
 * An HTTP client for URLs chosen by tenants (webhook destinations), safe against SSRF and built for
 * many small POSTs (reference webhooks.md §8):
 * - http and https only; credentials in the URL are refused;
 * - the host name is resolved here and every address is checked (address-policy.ts) before the
 *   socket connects to that very address — the check and the connection cannot disagree, which
 *   closes DNS rebinding; literal IP hosts are checked too;
 * - redirects are never followed (a 3xx is just an answer);
 * - a connect timeout and an overall response timeout; only an excerpt of the body is kept;
 * - keep-alive sockets per origin, so a busy destination costs one TLS handshake, not one per message.
 * `allowPrivate` (QUEUEBELL_ALLOW_PRIVATE_WEBHOOKS) lifts the address check for local setups.
 */
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { classifyAddress } from './address-policy.js';

export interface ResolvedAddress {
  address: string;
  family: number;
}

export interface SafeHttpOptions {
  allowPrivate: boolean;
  connectTimeoutMs: number;
  /** From the start of the request until the whole answer is read. */
  responseTimeoutMs: number;
  /** How much of an answer's body is kept for the attempt log. */
  excerptBytes: number;
  maxSocketsPerOrigin: number;
  userAgent?: string;
  /** Name resolution; tests replace it to play a rebinding DNS server. */
  resolve?: (hostname: string) => Promise<ResolvedAddress[]>;
}

export type HttpFailure =
  | 'invalid_url'
  | 'blocked_address'
  | 'dns'
  | 'connect_timeout'
  | 'response_timeout'
  | 'connection_refused'
  | 'connection_reset'
  | 'network'
  | 'aborted';

export type HttpResult =
  | { kind: 'response'; status: number; headers: http.IncomingHttpHeaders; excerpt: string; durationMs: number }
  | { kind: 'failure'; failure: HttpFailure; message: string; durationMs: number };

/** Idle keep-alive sockets are closed before the 5 s keep-alive timeout most servers use, to avoid racing them. */
const IDLE_SOCKET_MS = 4_000;
/** Past this much body the answer is not worth draining: the socket is dropped instead of reused. */
const MAX_DRAIN_BYTES = 64 * 1024;

class RequestFailure extends Error {
  constructor(
    readonly failure: HttpFailure,
    message: string,
  ) {
    super(message);
  }
}

interface Target {
  module: typeof http | typeof https;
  agent: http.Agent;
  hostname: string;
  port: number;
  path: string;
  isIp: boolean;
}

export class SafeHttpClient {
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;
  private readonly targets = new Map<string, Target | RequestFailure>();
  private readonly resolve: (hostname: string) => Promise<ResolvedAddress[]>;
  private readonly active = new Set<http.ClientRequest>();

  constructor(private readonly options: SafeHttpOptions) {
    const agentOptions = {
      keepAlive: true,
      maxSockets: options.maxSocketsPerOrigin,
      maxFreeSockets: options.maxSocketsPerOrigin,
      timeout: IDLE_SOCKET_MS,
      scheduling: 'lifo' as const,
    };
    this.httpAgent = new http.Agent(agentOptions);
    this.httpsAgent = new https.Agent(agentOptions);
    this.resolve = options.resolve ?? ((hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true }));
  }

  /** POSTs `body`; never throws: every way it can go wrong is a `failure` with its kind. */
  async post(url: string, headers: Record<string, string>, body: Buffer | string): Promise<HttpResult> {
    const started = performance.now();
    const target = this.targetOf(url);
    if (target instanceof RequestFailure) return failed(target, started);
    const first = await this.send(target, headers, body, started);
    // A kept-alive socket the server closed while idle fails at once; one retry on a fresh socket is
    // what Node's documentation recommends, and at-least-once delivery tolerates the rare duplicate.
    if (first.kind === 'failure' && first.failure === 'connection_reset' && (first as { reused?: boolean }).reused) {
      return this.send(target, headers, body, started);
    }
    return first;
  }

  /** Ends every request on the wire now (shutdown after its grace period); each answers `aborted`. */
  abortAll(): void {
    for (const request of this.active) request.destroy(new RequestFailure('aborted', 'aborted'));
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  /** Parsed once per URL: a busy destination does not pay for URL parsing on every message. */
  private targetOf(url: string): Target | RequestFailure {
    let target = this.targets.get(url);
    if (!target) {
      target = this.parse(url);
      if (this.targets.size > 10_000) this.targets.clear();
      this.targets.set(url, target);
    }
    if (!(target instanceof RequestFailure) && target.isIp && !this.options.allowPrivate) {
      const verdict = classifyAddress(target.hostname);
      if (!verdict.allowed) return new RequestFailure('blocked_address', `${target.hostname} is a ${verdict.range} address`);
    }
    return target;
  }

  private parse(url: string): Target | RequestFailure {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return new RequestFailure('invalid_url', 'not a valid URL');
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
      return new RequestFailure('invalid_url', 'only http and https URLs are allowed');
    if (parsed.username || parsed.password) return new RequestFailure('invalid_url', 'URLs must not carry credentials');
    const secure = parsed.protocol === 'https:';
    const hostname = parsed.hostname.startsWith('[') ? parsed.hostname.slice(1, -1) : parsed.hostname;
    return {
      module: secure ? https : http,
      agent: secure ? this.httpsAgent : this.httpAgent,
      hostname,
      port: parsed.port ? Number(parsed.port) : secure ? 443 : 80,
      path: parsed.pathname + parsed.search,
      isIp: net.isIP(hostname) !== 0,
    };
  }

  /** Called by net for each new connection: the addresses it returns are the ones dialled. */
  private readonly lookup: net.LookupFunction = (hostname, options, callback) => {
    // As dns.lookup does, a failure calls back with the error alone: net reads nothing else then.
    const fail = callback as (error: Error) => void;
    this.resolve(hostname).then(
      (all) => {
        const addresses = options.family ? all.filter((a) => a.family === options.family) : all;
        if (addresses.length === 0) return fail(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }));
        if (!this.options.allowPrivate) {
          // Every address must pass: a name that resolves to one public and one private address is an attack.
          for (const { address } of addresses) {
            const verdict = classifyAddress(address);
            if (!verdict.allowed)
              return fail(new RequestFailure('blocked_address', `${hostname} resolves to ${address}, a ${verdict.range} address`));
          }
        }
        if (options.all) callback(null, addresses);
        else callback(null, addresses[0]!.address, addresses[0]!.family);
      },
      (error: Error) => fail(error),
    );
  };

  private send(
    target: Target,
    headers: Record<string, string>,
    body: Buffer | string,
    started: number,
  ): Promise<HttpResult & { reused?: boolean }> {
    const { connectTimeoutMs, responseTimeoutMs, excerptBytes, userAgent } = this.options;
    return new Promise((resolve) => {
      let settled = false;
      let connectTimer: NodeJS.Timeout | undefined;
      const request = target.module.request({
        method: 'POST',
        hostname: target.hostname,
        port: target.port,
        path: target.path,
        agent: target.agent,
        lookup: this.lookup,
        headers: { 'user-agent': userAgent ?? 'queuebell', ...headers, 'content-length': Buffer.byteLength(body) },
      });
      const overall = setTimeout(
        () => request.destroy(new RequestFailure('response_timeout', `no complete answer within ${responseTimeoutMs} ms`)),
        responseTimeoutMs,
      );
      this.active.add(request);
      const finish = (result: HttpResult & { reused?: boolean }) => {
        if (settled) return;
        settled = true;
        clearTimeout(overall);
        clearTimeout(connectTimer);
        this.active.delete(request);
        resolve(result);
      };
      request.on('socket', (socket) => {
        if (!socket.connecting) return;
        connectTimer = setTimeout(
          () => request.destroy(new RequestFailure('connect_timeout', `no connection within ${connectTimeoutMs} ms`)),
          connectTimeoutMs,
        );
        socket.once('connect', () => clearTimeout(connectTimer));
      });
      request.on('error', (error) => finish({ ...failed(classify(error), started), reused: request.reusedSocket }));
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () =>
          finish({
            kind: 'response',
            status: response.statusCode ?? 0,
            headers: response.headers,
            excerpt: Buffer.concat(chunks).toString('utf8'),
            durationMs: performance.now() - started,
          });
        response.on('data', (chunk: Buffer) => {
          if (size < excerptBytes) chunks.push(chunk.subarray(0, excerptBytes - size));
          size += chunk.length;
          if (size > MAX_DRAIN_BYTES) {
            response.destroy();
            done();
          }
        });
        response.on('end', done);
        response.on('error', (error) => finish(failed(classify(error), started)));
      });
      request.end(body);
    });
  }
}

function failed(error: RequestFailure, started: number): HttpResult {
  return { kind: 'failure', failure: error.failure, message: error.message, durationMs: performance.now() - started };
}

function classify(error: Error & { code?: string }): RequestFailure {
  if (error instanceof RequestFailure) return error;
  switch (error.code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
    case 'EAI_NODATA':
      return new RequestFailure('dns', `name resolution failed (${error.code})`);
    case 'ECONNREFUSED':
      return new RequestFailure('connection_refused', 'connection refused');
    case 'ECONNRESET':
    case 'EPIPE':
      return new RequestFailure('connection_reset', `connection reset (${error.message})`);
    default:
      return new RequestFailure('network', `${error.code ?? error.name}: ${error.message}`);
  }
}
