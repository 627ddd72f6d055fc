/**
 * The ceiling of the delivery benchmark: a bare keep-alive POST loop in its own process, with the
 * dispatcher's concurrency towards one destination and the same body, and nothing else — no
 * database, no signature, no bookkeeping.
 */
import http from 'node:http';

process.on('message', async (message: { type: string; url: string; seconds: number; concurrency: number; body: string }) => {
  if (message.type !== 'run') return;
  const agent = new http.Agent({ keepAlive: true, maxSockets: message.concurrency });
  const target = new URL(message.url);
  const body = Buffer.from(message.body);
  const until = Date.now() + message.seconds * 1000;
  let requests = 0;
  const post = () =>
    new Promise<void>((resolve, reject) => {
      const request = http.request(
        {
          hostname: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': body.length },
        },
        (response) => {
          response.resume();
          response.on('end', () => resolve());
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  const started = Date.now();
  await Promise.all(
    Array.from({ length: message.concurrency }, async () => {
      while (Date.now() < until) {
        await post();
        requests += 1;
      }
    }),
  );
  agent.destroy();
  process.send?.({ type: 'run', reply: { requests, rps: requests / ((Date.now() - started) / 1000) } });
});
process.send?.({ ready: true });
process.on('SIGTERM', () => process.exit(0));
