/**
 * fetch for the queue service's API, same origin: JSON in and out, and every refusal turned into
 * an ApiError carrying the API's error code, so pages explain it instead of showing a status.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type QueryValue = string | number | boolean | null | undefined | readonly (string | number)[];

export interface RequestOptions {
  /** A company API key, sent as x-api-key. */
  key?: string | null;
  /** A user, operator or admin token, sent as Authorization: Bearer. */
  token?: string | null;
  body?: unknown;
  query?: Record<string, QueryValue>;
  /** Other credentials, e.g. a kiosk key. */
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export function withQuery(path: string, query: Record<string, QueryValue> = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === null || value === undefined || value === '') continue;
    for (const item of Array.isArray(value) ? value : [value]) params.append(name, String(item));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

export function authHeaders(options: Pick<RequestOptions, 'key' | 'token'>): Record<string, string> {
  const headers: Record<string, string> = {};
  if (options.key) headers['x-api-key'] = options.key;
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  return headers;
}

export async function api<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers = { ...authHeaders(options), ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(withQuery(path, options.query), {
      method,
      headers,
      signal: options.signal,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'NETWORK', 'The service cannot be reached.');
  }
  const text = await response.text();
  const parsed = text ? safeJson(text) : undefined;
  if (!response.ok) throw refusal(response, parsed);
  return parsed as T;
}

/** A refused response as an ApiError, from the API's error shape when it sent one. */
export function refusal(response: Response, parsed: unknown): ApiError {
  const error = (parsed as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
  return new ApiError(response.status, error?.code ?? `HTTP_${response.status}`, error?.message ?? response.statusText, error?.details);
}

export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
