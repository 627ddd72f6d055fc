/**
 * Listening on a configured port. A port that is taken (or not allowed) is an operator's mistake
 * with a one-line answer, not a stack trace: `PortTakenError` says which port and which setting,
 * and the CLI prints it and exits with 1 (docs/design.md §Faults).
 */
import type { HttpServer } from './server.js';

export class PortTakenError extends Error {
  /** What to do about it, naming the setting. */
  readonly hint: string;

  constructor(
    readonly port: number,
    readonly host: string,
    readonly setting: string,
    code: string,
  ) {
    super(code === 'EADDRINUSE' ? `port ${port} on ${host} is already in use` : `cannot listen on ${host}:${port} (${code.toLowerCase()})`);
    this.name = 'PortTakenError';
    this.hint = `stop what listens there, or set ${setting} to a free port, or to 0 for any`;
  }
}

export interface ListenOptions {
  port: number;
  host: string;
  /** The environment variable that chose the port, named in the error. */
  setting: string;
}

/** Listens and returns the URL a local client can use; on a taken port, closes the app and throws PortTakenError. */
export async function listenOrExplain(app: HttpServer, options: ListenOptions): Promise<string> {
  try {
    await app.listen({ port: options.port, host: options.host });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== 'EADDRINUSE' && code !== 'EACCES' && code !== 'EADDRNOTAVAIL') throw error;
    await app.close();
    throw new PortTakenError(options.port, options.host, options.setting, code);
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  // A wildcard bind is reachable on loopback; the URL must be one a local client can use.
  const bound = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  return `http://${bound.includes(':') ? `[${bound}]` : bound}:${port}`;
}
