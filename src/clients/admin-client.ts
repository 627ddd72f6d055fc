/**
 * A way into a running service's admin HTTP API with the admin token, exactly as an operator's
 * script would call it: fetch only. The CLI and the demo seed use it. Every failure is an
 * `AdminApiError`, carrying the API's own code and message where there is one.
 */

export interface AdminClient {
  call<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
}

export interface AdminTarget {
  url: string;
  token: string;
}

/**
 * The service did not do what was asked: unreachable (status 0), an error in the API's shape
 * (status and code), or an answer that is not JSON at all (status, no code).
 */
export class AdminApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    /** The API's error code; null when the answer was not in the error shape. */
    readonly code: string | null,
  ) {
    super(message);
  }
}

export function adminClient(target: AdminTarget): AdminClient {
  const base = target.url.replace(/\/+$/, '');
  return {
    async call<T>(method: string, path: string, body?: unknown): Promise<T> {
      let response: Response;
      try {
        response = await fetch(base + path, {
          method,
          headers: { authorization: `Bearer ${target.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      } catch (error) {
        throw new AdminApiError(`cannot reach ${base}: ${reasonOf(error)}`, 0, null);
      }
      const text = await response.text();
      let parsed: unknown = null;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        throw new AdminApiError(
          `${method} ${base}${path} answered ${response.status} with something other than JSON`,
          response.status,
          null,
        );
      }
      if (!response.ok) {
        const error = (parsed as { error?: { code: string; message: string } } | null)?.error;
        throw new AdminApiError(
          error ? `${error.code}: ${error.message}` : `HTTP ${response.status}`,
          response.status,
          error?.code ?? null,
        );
      }
      return parsed as T;
    },
  };
}

function reasonOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code === 'ECONNREFUSED') return 'connection refused';
  return cause?.message ?? (error as Error).message;
}
