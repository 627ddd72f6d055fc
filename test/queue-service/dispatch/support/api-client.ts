/**
 * The API of a queue service running in another process, with QueueHarness's `call`/`admin`
 * shape so the shared setup helpers (setUpCompany…) work against it. The URL may change when the
 * process is restarted.
 */
import { ADMIN_TOKEN, type CallOptions, type Reply } from '../../support/harness.js';

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
