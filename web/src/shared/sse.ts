/** A parser for the text/event-stream format (HTML Living Standard §9.2.6), fed chunk by chunk. */
export interface StreamEvent {
  id: string | null;
  type: string;
  data: string;
}

export class EventStreamParser {
  private buffer = '';
  private data: string[] = [];
  private type = '';
  /** The last event id persists across events, as the spec says, for the reconnection's Last-Event-ID. */
  lastEventId: string | null = null;
  retryMs: number | null = null;

  constructor(private readonly emit: (event: StreamEvent) => void) {}

  push(chunk: string): void {
    this.buffer += chunk;
    const lines = this.buffer.split(/\r\n|\r|\n/);
    // The last piece may be a line still being received.
    this.buffer = lines.pop() ?? '';
    for (const line of lines) this.line(line);
  }

  private line(line: string): void {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.type = value;
    else if (field === 'id' && !value.includes('\0')) this.lastEventId = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
  }

  private dispatch(): void {
    if (this.data.length > 0) this.emit({ id: this.lastEventId, type: this.type || 'message', data: this.data.join('\n') });
    this.data = [];
    this.type = '';
  }
}
