/**
 * The webhook receiver of the delivery benchmark, in its own process: answers 200 at once on
 * keep-alive connections and counts. In latency mode it also notes when each ticket's message
 * arrived (epoch ms, sub-millisecond), for the benchmark to compare with the commit.
 */
import { createServer } from 'node:http';

let count = 0;
/** When the first and the latest request of this round arrived (epoch ms), for a rate that leaves out start-up. */
let firstAt = 0;
let lastAt = 0;
let arrivals = new Map<string, number>();
let measureLatency = false;

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => {
    if (measureLatency) chunks.push(chunk);
  });
  request.on('end', () => {
    count += 1;
    lastAt = performance.timeOrigin + performance.now();
    if (count === 1) firstAt = lastAt;
    if (measureLatency) {
      const arrived = lastAt;
      const { data } = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { message: { data: { ticketId?: string; id?: string } } })
        .message;
      const ticketId = data.ticketId ?? data.id ?? '';
      if (!arrivals.has(ticketId)) arrivals.set(ticketId, arrived);
    }
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': '2' }).end('{}');
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  process.send?.({ ready: true, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/hook` });
});

process.on('message', (message: { type: string; latency?: boolean }) => {
  if (message.type === 'reset') {
    count = 0;
    firstAt = 0;
    lastAt = 0;
    arrivals = new Map();
    measureLatency = message.latency === true;
    process.send?.({ type: 'reset', reply: true });
  } else if (message.type === 'stats') {
    process.send?.({ type: 'stats', reply: { count, firstAt, lastAt, arrivals: [...arrivals] } });
  }
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
