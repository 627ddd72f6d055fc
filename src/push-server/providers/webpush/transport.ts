/**
 * Web Push requests go to whatever endpoint a browser's push service handed out, which the person
 * registering chose: so the address is checked at connect time (after DNS) against private,
 * loopback and link-local ranges unless local targets are explicitly allowed. HTTP/1.1 with
 * keep-alive agents, since push services differ in what else they speak.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const RESPONSE_EXCERPT_BYTES = 4096;

export function isPublicAddress(address: string): boolean {
  try {
    const parsed = ipaddr.process(address);
    return parsed.range() === 'unicast';
  } catch {
    return false;
  }
}

/** Resolves like dns.lookup, then refuses the connection when an address is not public. */
function publicOnlyLookup(): LookupFunction {
  return ((
    hostname: string,
    options: object,
    callback: (error: Error | null, address: string | LookupAddress[], family?: number) => void,
  ) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = addresses as LookupAddress[];
      const refused = list.find((entry) => !isPublicAddress(entry.address));
      if (refused || list.length === 0) return callback(new UnsafeEndpointError(`${hostname} resolves to a non-public address`), '', 0);
      if ((options as { all?: boolean }).all) return callback(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  }) as LookupFunction;
}

/** A target that will never be allowed: retrying cannot help. */
class UnsafeEndpointError extends Error {
  readonly code = 'E_UNSAFE_ENDPOINT';
}

export class WebPushTransport {
  private readonly httpsAgent: https.Agent;
  private readonly httpAgent: http.Agent;

  constructor(private readonly options: { requestTimeoutMs: number; allowPrivateEndpoints: boolean; maxSocketsPerOrigin: number }) {
    const lookup = options.allowPrivateEndpoints ? undefined : publicOnlyLookup();
    const agentOptions = { keepAlive: true, maxSockets: options.maxSocketsPerOrigin, ...(lookup ? { lookup } : {}) };
    this.httpsAgent = new https.Agent(agentOptions);
    this.httpAgent = new http.Agent(agentOptions);
  }

  post(endpoint: string, headers: Record<string, string>, body: Buffer | string): Promise<HttpResponse> {
    const url = new URL(endpoint);
    const secure = url.protocol === 'https:';
    if (!secure && !this.options.allowPrivateEndpoints)
      return Promise.reject(new UnsafeEndpointError('plain http endpoints are only allowed for local setups'));
    const send = secure ? https.request : http.request;
    return new Promise((resolve, reject) => {
      const request = send(
        url,
        {
          method: 'POST',
          agent: secure ? this.httpsAgent : this.httpAgent,
          headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
          timeout: this.options.requestTimeoutMs,
        },
        (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            // Keep an excerpt only: the endpoint is not ours and may answer with anything.
            if (size < RESPONSE_EXCERPT_BYTES) chunks.push(chunk);
            size += chunk.length;
          });
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              headers: response.headers,
              body: Buffer.concat(chunks).toString('utf8').slice(0, RESPONSE_EXCERPT_BYTES),
            }),
          );
          response.on('error', reject);
        },
      );
      request.on('timeout', () => request.destroy(new Error('timeout')));
      request.on('error', reject);
      request.end(body);
    });
  }

  close(): void {
    this.httpsAgent.destroy();
    this.httpAgent.destroy();
  }
}
