/**
 * The webhook receiver of the takeover benchmark, in its own process: answers 200 after 100 ms (a
 * receiver doing some work, so a dispatcher has messages on the wire when it is killed) and notes
 * every arrival as [ticket id, epoch ms], so the benchmark can tell when each ticket's messages
 * resumed after a dispatcher was killed.
 */
import { createServer } from 'node:http';

let arrivals: [string, number][] = [];

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const arrived = performance.timeOrigin + performance.now();
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { message: { data: { id: string } } };
    arrivals.push([body.message.data.id, arrived]);
    setTimeout(() => response.writeHead(200, { 'content-type': 'application/json', 'content-length': '2' }).end('{}'), 100);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  process.send?.({ ready: true, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/hook` });
});

process.on('message', (message: { type: string }) => {
  if (message.type === 'reset') {
    arrivals = [];
    process.send?.({ type: 'reset', reply: true });
  } else if (message.type === 'arrivals') {
    process.send?.({ type: 'arrivals', reply: arrivals });
  }
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
