/**
 * A server-sent events client for tests, on node:http (no EventSource in Node 20): it keeps every
 * event and comment it receives, and lets a test wait for the next one that matches. Waiting has
 * no timer of its own: a stream that never delivers fails by the test's timeout.
 */
import { request, type IncomingMessage } from 'node:http';

export interface SseEvent {
  id: string | null;
  event: string;
  data: any;
}

export class SseClient {
  readonly events: SseEvent[] = [];
  comments = 0;
  private buffer = '';
  private waiters: Array<() => void> = [];
  private response!: IncomingMessage;
  private cursor = 0;
  status = 0;
  /** The body of a refusal (not 200), parsed. */
  body: any = null;
  ended = false;

  static open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const client = new SseClient();
    return new Promise((resolve, reject) => {
      const req = request(url, { headers: { accept: 'text/event-stream', ...headers } }, (response) => {
        client.response = response;
        client.status = response.statusCode ?? 0;
        response.setEncoding('utf8');
        if (client.status !== 200) {
          let text = '';
          response.on('data', (chunk: string) => (text += chunk));
          response.on('end', () => {
            client.body = text ? JSON.parse(text) : null;
            resolve(client);
          });
          return;
        }
        response.on('data', (chunk: string) => client.push(chunk));
        response.on('end', () => {
          client.ended = true;
          client.wake();
        });
        response.on('error', () => {});
        resolve(client);
      });
      req.on('error', reject);
      req.end();
    });
  }

  /** The next event (after those already taken) that matches, waiting for it if needed. */
  async next(match: (event: SseEvent) => boolean = () => true): Promise<SseEvent> {
    for (;;) {
      while (this.cursor < this.events.length) {
        const event = this.events[this.cursor++]!;
        if (match(event)) return event;
      }
      if (this.ended) throw new Error('the stream ended');
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Waits until `count` comment lines (heartbeats) arrived. */
  async commentsReach(count: number): Promise<void> {
    while (this.comments < count) {
      if (this.ended) throw new Error('the stream ended');
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Waits until the server ends the stream. */
  async end(): Promise<void> {
    while (!this.ended) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  get lastEventId(): string | null {
    return [...this.events].reverse().find((event) => event.id !== null)?.id ?? null;
  }

  close(): void {
    this.response?.destroy();
  }

  private push(chunk: string): void {
    this.buffer += chunk;
    for (let index = this.buffer.indexOf('\n\n'); index >= 0; index = this.buffer.indexOf('\n\n')) {
      const block = this.buffer.slice(0, index);
      this.buffer = this.buffer.slice(index + 2);
      this.parse(block);
    }
    this.wake();
  }

  private parse(block: string): void {
    let id: string | null = null;
    let event = 'message';
    const data: string[] = [];
    let isComment = true;
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      isComment = false;
      const [field, ...rest] = line.split(':');
      const value = rest.join(':').replace(/^ /, '');
      if (field === 'id') id = value;
      else if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (isComment) {
      this.comments += 1;
      return;
    }
    if (data.length > 0) this.events.push({ id, event, data: JSON.parse(data.join('\n')) });
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }
}
