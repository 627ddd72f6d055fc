/**
 * A real HTTP receiver for delivery tests (like Svix's TestReceiver): it records every
 * request with its headers and exact body, and answers the way the test says — which can change in
 * the middle of a test: 200, any status with headers, slowly, never, or by resetting the connection.
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export type Behaviour =
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: string }
  | { kind: 'slow'; delayMs: number; status?: number }
  | { kind: 'reset' }
  | { kind: 'hang' };

export const ok: Behaviour = { kind: 'status', status: 200, body: '{"ok":true}' };

export interface Received {
  id: string;
  timestamp: number;
  signature: string;
  deliverBy: string | undefined;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  receivedAt: number;
  /** The status answered, or 'reset' / 'hang'. */
  answer: number | 'reset' | 'hang';
}

export class TestReceiver {
  readonly requests: Received[] = [];
  private behaviour: Behaviour | ((request: Received, index: number) => Behaviour) = ok;
  private readonly sockets = new Set<Socket>();
  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(): Promise<TestReceiver> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const receiver = new TestReceiver(server, (server.address() as { port: number }).port);
    server.on('connection', (socket) => {
      receiver.sockets.add(socket);
      socket.on('close', () => receiver.sockets.delete(socket));
    });
    server.on('request', (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => receiver.handle(request.url ?? '/', request.headers, Buffer.concat(chunks).toString('utf8'), response));
    });
    return receiver;
  }

  url(path = '/hook'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** Sets how the next requests are answered; a function decides per request. */
  behave(behaviour: Behaviour | ((request: Received, index: number) => Behaviour)): void {
    this.behaviour = behaviour;
  }

  /** Requests answered with a 2xx. */
  delivered(): Received[] {
    return this.requests.filter((r) => typeof r.answer === 'number' && r.answer >= 200 && r.answer < 300);
  }

  /** Waits (polling) until `predicate` holds; fails the test with `what` after `timeoutMs`. */
  async waitFor(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > until) throw new Error(`timed out waiting for ${what} (${this.requests.length} requests so far)`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(path: string, headers: IncomingHttpHeaders, body: string, response: ServerResponse): void {
    const record: Received = {
      id: String(headers['webhook-id']),
      timestamp: Number(headers['webhook-timestamp']),
      signature: String(headers['webhook-signature']),
      deliverBy: headers['x-queuebell-deliver-by'] as string | undefined,
      path,
      headers,
      body,
      receivedAt: Date.now(),
      answer: 'hang',
    };
    const index = this.requests.push(record) - 1;
    const behaviour = typeof this.behaviour === 'function' ? this.behaviour(record, index) : this.behaviour;
    switch (behaviour.kind) {
      case 'status':
        record.answer = behaviour.status;
        response.writeHead(behaviour.status, { 'content-type': 'application/json', ...behaviour.headers }).end(behaviour.body ?? '');
        return;
      case 'slow':
        record.answer = behaviour.status ?? 200;
        setTimeout(() => response.writeHead(behaviour.status ?? 200).end('slow'), behaviour.delayMs).unref();
        return;
      case 'reset':
        record.answer = 'reset';
        response.socket?.destroy();
        return;
      case 'hang':
        return;
    }
  }
}
