/**
 * The ceiling of the live-stream benchmark: a bare node:http server holding server-sent event
 * streams, that writes one small event to every stream when asked (POST /fire). No auth, no
 * database, no positions: only the cost of holding and writing to the sockets.
 */
import { createServer, type ServerResponse } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const streams = new Set<ServerResponse>();
let id = 0;

const server = createServer((request, response) => {
  if (request.method === 'POST' && request.url === '/fire') {
    id += 1;
    const payload = `id: ${id}\nevent: position\ndata: ${JSON.stringify({ ticketId: 'tkt_bare', ticketPosition: { queue: { tickets: id, people: id }, endpoint: { tickets: id, people: id } } })}\n\n`;
    for (const stream of streams) stream.write(payload);
    response.writeHead(204).end();
    return;
  }
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  response.write(`retry: 3000\n\nevent: hello\ndata: {}\n\n`);
  streams.add(response);
  response.on('close', () => streams.delete(response));
});
server.keepAliveTimeout = 0;
server.listen(0, '127.0.0.1', () => {
  process.send?.({ ready: true, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` });
});
process.on('message', (message: { type?: string }) => {
  if (message?.type !== 'memory') return;
  gc();
  const usage = process.memoryUsage();
  process.send?.({ type: 'memory', reply: { rss: usage.rss, heapUsed: usage.heapUsed, external: usage.external + usage.arrayBuffers } });
});
process.on('SIGTERM', () => process.exit(0));
