/** An open-loop load generator at an even rate, for latency at a steady offered load. */
export interface SteadyRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * An open-loop load at an even rate: the requests due by now are sent on every tick, whether or not
 * earlier ones were answered — unlike autocannon's per-second budget, which sends each second's
 * requests in a burst at its start. Returns the HTTP latencies (ms) and the count of non-2xx answers.
 */
export async function steadyLoad(options: {
  url: string;
  rate: number;
  seconds: number;
  request: (i: number) => SteadyRequest;
  onSent?: (i: number, at: number) => void;
  /** Each answer's body (read only when this is given). */
  onAnswer?: (i: number, status: number, body: string) => void;
}) {
  const { default: http } = await import('node:http');
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const total = Math.round(options.rate * options.seconds);
  const latencies: number[] = [];
  let failed = 0;
  const answered: Promise<void>[] = [];
  const started = performance.now();
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * options.rate) + 1);
    for (; sent < due; sent += 1) answered.push(send(sent));
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(answered);
  agent.destroy();
  return { latencies: latencies.sort((a, b) => a - b), failed, sent: total, rps: total / ((performance.now() - started) / 1000) };

  function send(i: number): Promise<void> {
    const { path, headers, body } = options.request(i);
    return new Promise((resolve) => {
      const at = performance.timeOrigin + performance.now();
      options.onSent?.(i, at);
      const request = http.request(
        options.url + path,
        { method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } },
        (response) => {
          const chunks: Buffer[] = [];
          if (options.onAnswer) response.on('data', (chunk: Buffer) => chunks.push(chunk));
          else response.resume();
          response.on('end', () => {
            latencies.push(performance.timeOrigin + performance.now() - at);
            options.onAnswer?.(i, response.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'));
            if ((response.statusCode ?? 0) >= 300) failed += 1;
            resolve();
          });
        },
      );
      request.on('error', () => {
        failed += 1;
        resolve();
      });
      request.end(body);
    });
  }
}
