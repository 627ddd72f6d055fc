/**
 * Long-lived HTTP/2 sessions keyed by the caller (APNs: app and environment; FCM: origin). Apple
 * asks providers to keep connections open and reuse them (rapid connect and disconnect may be taken for a
 * denial-of-service attack), and one multiplexed session carries thousands of pushes a second. Streams beyond the
 * server's concurrency limit wait inside node:http2, so callers may fire freely. A session that
 * errors, closes or receives GOAWAY is dropped; the next request opens a new one.
 */
import http2, { type ClientHttp2Session, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http2';

export interface H2Response {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface SessionOptions {
  requestTimeoutMs: number;
  /** A PING on this period finds a silently dead connection before a push waits on it. */
  pingIntervalMs: number;
}

interface Entry {
  session: ClientHttp2Session;
  pinger: NodeJS.Timeout;
}

export class Http2Sessions {
  private readonly sessions = new Map<string, Entry>();

  constructor(private readonly options: SessionOptions) {}

  request(key: string, origin: string, ca: string | null, headers: OutgoingHttpHeaders, body: string | Buffer): Promise<H2Response> {
    const session = this.sessionFor(key, origin, ca);
    return new Promise((resolve, reject) => {
      const stream = session.request(headers);
      const chunks: Buffer[] = [];
      let responseHeaders: IncomingHttpHeaders | null = null;
      stream.setTimeout(this.options.requestTimeoutMs, () => stream.close(http2.constants.NGHTTP2_CANCEL));
      stream.on('response', (h) => {
        responseHeaders = h;
      });
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', reject);
      stream.on('close', () => {
        if (!responseHeaders) return reject(new Error(`stream closed without a response (code ${stream.rstCode})`));
        resolve({ status: Number(responseHeaders[':status']), headers: responseHeaders, body: Buffer.concat(chunks).toString('utf8') });
      });
      stream.end(body);
    });
  }

  /** Closes the sessions whose key starts with the prefix (an app's, when its credentials change). */
  closeMatching(prefix: string): void {
    for (const [key, entry] of this.sessions) {
      if (key.startsWith(prefix)) this.drop(key, entry, true);
    }
  }

  async closeAll(): Promise<void> {
    const closing = [...this.sessions.entries()].map(
      ([key, entry]) =>
        new Promise<void>((resolve) => {
          entry.session.close(() => resolve());
          this.drop(key, entry, false);
        }),
    );
    await Promise.all(closing);
  }

  private sessionFor(key: string, origin: string, ca: string | null): ClientHttp2Session {
    const existing = this.sessions.get(key);
    if (existing && !existing.session.closed && !existing.session.destroyed) return existing.session;
    const session = http2.connect(origin, ca ? { ca } : {});
    const entry: Entry = { session, pinger: setInterval(() => this.ping(key, entry), this.options.pingIntervalMs).unref() };
    // Errors surface on the streams; the session itself only has to be forgotten.
    session.on('error', () => this.drop(key, entry, false));
    session.on('goaway', () => this.drop(key, entry, true));
    session.on('close', () => this.drop(key, entry, false));
    this.sessions.set(key, entry);
    return session;
  }

  private ping(key: string, entry: Entry): void {
    if (entry.session.closed || entry.session.destroyed) return;
    entry.session.ping((error) => {
      if (error) this.drop(key, entry, true);
    });
  }

  /** `gracefully`: streams already in flight may finish; new requests go to a new session. */
  private drop(key: string, entry: Entry, gracefully: boolean): void {
    clearInterval(entry.pinger);
    if (this.sessions.get(key) === entry) this.sessions.delete(key);
    if (gracefully && !entry.session.closed) entry.session.close();
  }
}
