/** The ceiling: a bare Fastify route answering a small JSON body, in its own process like the system under test. */
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.post('/echo', async (request) => ({ ok: true, size: JSON.stringify(request.body).length }));
app.get('/hello', async () => ({ hello: 'world' }));
await app.listen({ port: 0, host: '127.0.0.1' });
process.send?.({ ready: true, url: `http://127.0.0.1:${(app.server.address() as { port: number }).port}` });
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
