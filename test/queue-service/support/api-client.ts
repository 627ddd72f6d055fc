/**
 * The queue service's HTTP API as tests call it: `call` with a key, a token or a raw body, and
 * `admin` with the admin token. QueueHarness is one (in-process service); a service in another
 * process is reached with a plain ApiClient whose URL may change when the process restarts.
 */
export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface Reply<T = any> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

export interface CallOptions {
  body?: unknown;
  /** Raw body text, sent as is (for malformed JSON). */
  raw?: string;
  key?: string;
  token?: string;
  headers?: Record<string, string>;
}

export class ApiClient {
  constructor(public url: string) {}

  async call<T = any>(method: string, path: string, options: CallOptions = {}): Promise<Reply<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.key) headers['x-api-key'] = options.key;
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const body = options.body !== undefined ? JSON.stringify(options.body) : options.raw;
    if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
    const response = await fetch(this.url + path, { method, headers, body });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    return { status: response.status, body: parsed as T, text, headers: response.headers };
  }

  admin<T = any>(method: string, path: string, body?: unknown): Promise<Reply<T>> {
    return this.call<T>(method, path, { body, token: ADMIN_TOKEN });
  }
}
