/**
 * A way into a running service's admin HTTP API with the admin token, exactly as an operator's
 * script would call it: fetch only. The CLI and the demo seed use it. Errors come back as the
 * API's own message.
 */

export interface AdminClient {
  call<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
}

export interface AdminTarget { url: string; token: string }

/** The API answered with an error: its message is `CODE: message`, or the HTTP status when there was no body. */
class AdminApiError extends Error {}

export function adminClient(target: AdminTarget): AdminClient {
  return {
    async call<T>(method: string, path: string, body?: unknown): Promise<T> {
      const response = await fetch(target.url.replace(/\/$/, '') + path, {
        method,
        headers: { authorization: `Bearer ${target.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      const parsed = text ? (JSON.parse(text) as unknown) : null;
      if (!response.ok) {
        const error = (parsed as { error?: { code: string; message: string } } | null)?.error;
        throw new AdminApiError(error ? `${error.code}: ${error.message}` : `HTTP ${response.status}`);
      }
      return parsed as T;
    },
  };
}
