import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SafeHttpClient, type SafeHttpOptions } from '../../../src/platform/net/safe-http.js';

const BASE: SafeHttpOptions = {
  allowPrivate: false,
  connectTimeoutMs: 1_000,
  responseTimeoutMs: 1_000,
  excerptBytes: 16,
  maxSocketsPerOrigin: 4,
};

describe('SafeHttpClient', () => {
  let server: Server;
  let port: number;
  const seen: { host: string | undefined; path: string | undefined; remote: string | undefined; socketId: number }[] = [];
  let sockets = 0;
  beforeAll(async () => {
    server = createServer((request: IncomingMessage, response) => {
      const socket = request.socket as typeof request.socket & { id?: number };
      socket.id ??= ++sockets;
      seen.push({ host: request.headers.host, path: request.url, remote: socket.remoteAddress, socketId: socket.id });
      request.resume();
      request.on('end', () => {
        if (request.url === '/redirect') return response.writeHead(307, { location: '/target' }).end();
        if (request.url === '/hang') return;
        if (request.url === '/big') return response.writeHead(200).end('y'.repeat(200_000));
        response.writeHead(200).end('hello from the receiver');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('refuses a literal private address without opening a connection', async () => {
    const client = new SafeHttpClient(BASE);
    const before = seen.length;
    for (const url of [
      `http://127.0.0.1:${port}/`,
      `http://[::ffff:127.0.0.1]:${port}/`,
      `http://[::127.0.0.1]:${port}/`,
      `http://[64:ff9b::127.0.0.1]:${port}/`,
      `http://0x7f.1:${port}/`,
      `http://2130706433:${port}/`,
      'http://169.254.169.254/latest/meta-data',
    ]) {
      const result = await client.post(url, {}, 'x');
      expect(result, url).toMatchObject({ kind: 'failure', failure: 'blocked_address' });
    }
    expect(seen.length).toBe(before);
    client.close();
  });

  it('checks every address a name resolves to, so DNS cannot point it at a private network', async () => {
    const rebinding = new SafeHttpClient({
      ...BASE,
      resolve: async () => [
        { address: '93.184.216.34', family: 4 },
        { address: '127.0.0.1', family: 4 },
      ],
    });
    expect(await rebinding.post(`http://evil.test:${port}/`, {}, 'x')).toMatchObject({
      kind: 'failure',
      failure: 'blocked_address',
      message: expect.stringContaining('127.0.0.1'),
    });
    rebinding.close();
  });

  it('connects to the very address it checked, keeping the name in the Host header', async () => {
    const client = new SafeHttpClient({ ...BASE, allowPrivate: true, resolve: async () => [{ address: '127.0.0.1', family: 4 }] });
    const result = await client.post(`http://receiver.test:${port}/checked`, {}, 'x');
    expect(result).toMatchObject({ kind: 'response', status: 200, excerpt: 'hello from the r' });
    expect(seen.at(-1)).toMatchObject({ host: `receiver.test:${port}`, path: '/checked', remote: '127.0.0.1' });
    client.close();
  });

  it('does not follow redirects', async () => {
    const client = new SafeHttpClient({ ...BASE, allowPrivate: true });
    const result = await client.post(`http://127.0.0.1:${port}/redirect`, {}, 'x');
    expect(result).toMatchObject({ kind: 'response', status: 307 });
    expect(seen.some((s) => s.path === '/target')).toBe(false);
    client.close();
  });

  it('gives up when the answer does not come in time', async () => {
    const client = new SafeHttpClient({ ...BASE, allowPrivate: true, responseTimeoutMs: 200 });
    expect(await client.post(`http://127.0.0.1:${port}/hang`, {}, 'x')).toMatchObject({ kind: 'failure', failure: 'response_timeout' });
    client.close();
  });

  it('keeps connections alive between requests to the same receiver', async () => {
    const client = new SafeHttpClient({ ...BASE, allowPrivate: true });
    await client.post(`http://127.0.0.1:${port}/one`, {}, 'x');
    await client.post(`http://127.0.0.1:${port}/two`, {}, 'x');
    const [one, two] = seen.slice(-2);
    expect(one!.socketId).toBe(two!.socketId);
    client.close();
  });

  it('keeps only an excerpt of a large answer', async () => {
    const client = new SafeHttpClient({ ...BASE, allowPrivate: true });
    expect(await client.post(`http://127.0.0.1:${port}/big`, {}, 'x')).toMatchObject({
      kind: 'response',
      status: 200,
      excerpt: 'y'.repeat(16),
    });
    client.close();
  });

  it('reports refused connections, unknown names and URLs it will not call', async () => {
    const client = new SafeHttpClient({
      ...BASE,
      allowPrivate: true,
      resolve: async () => {
        throw Object.assign(new Error('nope'), { code: 'ENOTFOUND' });
      },
    });
    expect(await client.post('http://127.0.0.1:9/', {}, 'x')).toMatchObject({ kind: 'failure', failure: 'connection_refused' });
    expect(await client.post('http://nowhere.test/', {}, 'x')).toMatchObject({ kind: 'failure', failure: 'dns' });
    expect(await client.post('ftp://127.0.0.1/', {}, 'x')).toMatchObject({ kind: 'failure', failure: 'invalid_url' });
    expect(await client.post('http://user:pw@127.0.0.1/', {}, 'x')).toMatchObject({ kind: 'failure', failure: 'invalid_url' });
    client.close();
  });
});
