import pino, { type Logger } from 'pino';

/**
 * JSON logs with credentials removed: API keys travel in `?key=` and `x-api-key`, tokens in
 * `authorization`, and none of them may reach a log line.
 */
export function createLogger(name: string, level = 'info'): Logger {
  return pino({
    name,
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers["x-api-key"]',
        'req.headers["x-app-key"]',
        'req.headers.cookie',
        '*.password',
        '*.secret',
        '*.token',
        '*.authToken',
      ],
      censor: '***',
    },
    serializers: {
      req: (req: { method: string; url: string; headers?: Record<string, unknown> }) => ({
        method: req.method,
        url: redactQuery(req.url),
      }),
    },
  });
}

function redactQuery(url: string): string {
  return url.replace(/([?&](?:key|token|secret)=)[^&]*/gi, '$1***');
}
