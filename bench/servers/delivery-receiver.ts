/**
 * The webhook receiver of the delivery benchmark, in its own process: answers 200 at once on
 * keep-alive connections and counts. In latency mode it also notes, per message, the time from
 * the ticket change (`data.timeline.updatedAt`, taken inside the change's transaction) to arrival.
 */
import { createServer } from 'node:http';

let count = 0;
let latencies: number[] = [];
let measureLatency = false;

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => {
    if (measureLatency) chunks.push(chunk);
  });
  request.on('end', () => {
    count += 1;
    if (measureLatency) {
      const arrived = performance.timeOrigin + performance.now();
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { message: { data: { timeline: { updatedAt: string } } } };
      latencies.push(arrived - Date.parse(body.message.data.timeline.updatedAt));
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
    latencies = [];
    measureLatency = message.latency === true;
    process.send?.({ type: 'reset', reply: true });
  } else if (message.type === 'stats') {
    process.send?.({ type: 'stats', reply: { count, latencies } });
  }
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
