/**
 * Long-lived HTTP/2 sessions keyed by the caller (APNs: app and environment; FCM: origin). Apple
 * asks providers to keep connections open and reuse them (rapid connect and disconnect may be taken for a
 * denial-of-service attack), and one multiplexed session carries thousands of pushes a second. A session that
 * errors, closes or receives GOAWAY is dropped; the next request opens a new one.
 *
 * Callers may fire freely: requests wait their turn here, first come first served, while the bodies
 * already sent and not yet answered would fill more than half the connection's flow-control window. Without
 * that gate node:http2 starves some streams once the window is full (measured against a server
 * granting the RFC's initial 65,535 bytes: out of 1,000 streams in flight, some waited until the load
 * stopped, 10 s and more, while later ones went through) — and every waiting push keeps its batch in
 * memory (docs/design.md §Push server).
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

/** The connection window every HTTP/2 peer starts with (RFC 9113 §6.9.2); a server may grant more. */
const INITIAL_CONNECTION_WINDOW = 65_535;

/** Admission by body bytes per key, first come first served; it outlives the key's sessions. */
class WindowGate {
  /** Bytes of bodies sent whose answer has not come. */
  unanswered = 0;
  /** A lower bound of what the server granted the current session. */
  window = INITIAL_CONNECTION_WINDOW;
  readonly waiting: { bytes: number; admit: () => void }[] = [];

  fits(bytes: number): boolean {
    // Half the window: receivers give credit back once half of it is used (nghttp2 does), so bodies
    // in flight never find it empty. One body larger than that still goes, alone.
    return this.unanswered === 0 || this.unanswered + bytes <= this.window / 2;
  }

  release(bytes: number): void {
    this.unanswered -= bytes;
    while (this.waiting.length > 0 && this.fits(this.waiting[0]!.bytes)) {
      const next = this.waiting.shift()!;
      this.unanswered += next.bytes;
      next.admit();
    }
  }
}

export class Http2Sessions {
  private readonly sessions = new Map<string, Entry>();
  private readonly gates = new Map<string, WindowGate>();

  constructor(private readonly options: SessionOptions) {}

  async request(key: string, origin: string, ca: string | null, headers: OutgoingHttpHeaders, body: string | Buffer): Promise<H2Response> {
    const bytes = Buffer.byteLength(body);
    const gate = this.gateFor(key);
    const deadline = performance.now() + this.options.requestTimeoutMs;
    await this.admitted(gate, bytes);
    try {
      const session = this.sessionFor(key, origin, ca);
      // What the server has left to us now is at most what it granted: a larger grant shows up here.
      gate.window = Math.max(gate.window, session.state.remoteWindowSize ?? 0);
      return await this.exchange(session, headers, body, Math.max(1, deadline - performance.now()));
    } finally {
      gate.release(bytes);
    }
  }

  private gateFor(key: string): WindowGate {
    let gate = this.gates.get(key);
    if (!gate) {
      gate = new WindowGate();
      this.gates.set(key, gate);
    }
    return gate;
  }

  /** Resolves once the body may go; a turn that does not come within the request timeout fails the request. */
  private admitted(gate: WindowGate, bytes: number): Promise<void> {
    if (gate.waiting.length === 0 && gate.fits(bytes)) {
      gate.unanswered += bytes;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const turn = {
        bytes,
        admit: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        gate.waiting.splice(gate.waiting.indexOf(turn), 1);
        reject(new Error(`no room on the connection within ${this.options.requestTimeoutMs} ms`));
      }, this.options.requestTimeoutMs);
      gate.waiting.push(turn);
    });
  }

  private exchange(
    session: ClientHttp2Session,
    headers: OutgoingHttpHeaders,
    body: string | Buffer,
    timeoutMs: number,
  ): Promise<H2Response> {
    return new Promise((resolve, reject) => {
      const stream = session.request(headers);
      const chunks: Buffer[] = [];
      let responseHeaders: IncomingHttpHeaders | null = null;
      stream.setTimeout(timeoutMs, () => stream.close(http2.constants.NGHTTP2_CANCEL));
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
    for (const [key, gate] of this.gates) {
      if (key.startsWith(prefix) && gate.unanswered === 0 && gate.waiting.length === 0) this.gates.delete(key);
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
    if (this.sessions.get(key) === entry) {
      this.sessions.delete(key);
      // The next session starts from the initial window again.
      const gate = this.gates.get(key);
      if (gate) gate.window = INITIAL_CONNECTION_WINDOW;
    }
    if (gracefully && !entry.session.closed) entry.session.close();
  }
}
