/**
 * The `queuebell` command as an operator meets its failures: one line with a hint, exit code 1,
 * no stack trace; required options marked in --help; `migrate` saying what it did; database URLs
 * checked before anything is created.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, QueueHarness } from '../queue-service/support/harness.js';
import { queuebell, type Ran } from './support.js';

/** One line, the command's own, and no stack trace. */
function expectOneLine(ran: Ran, pattern: RegExp): void {
  expect(ran.code, ran.stderr).toBe(1);
  const lines = ran.stderr.trim().split('\n');
  expect(lines, ran.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^queuebell: /);
  expect(lines[0]).toMatch(pattern);
  expect(ran.stderr).not.toMatch(/\n\s+at /);
}

describe('queuebell failures', { timeout: 90_000 }, () => {
  let h: QueueHarness;
  let dir: string;
  beforeAll(async () => {
    h = await QueueHarness.start('sqlite');
    dir = mkdtempSync(join(tmpdir(), 'queuebell-cli-'));
  });
  afterAll(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports a request the server refuses as its error code and message, with a hint', async () => {
    const ran = await queuebell(['company', 'create', '--name', '', '--url', h.url, '--token', ADMIN_TOKEN]);
    expectOneLine(ran, /(VALIDATION_FAILED|MISSING_FIELD): .*\(check the options/);
  });

  it('reports a wrong token with a hint about --token', async () => {
    const ran = await queuebell(['company', 'list', '--url', h.url, '--token', 'not-the-admin-token-at-all']);
    expectOneLine(ran, /UNAUTHENTICATED: .*\(check --token/);
  });

  it('reports a service that is not running as a refused connection', async () => {
    const closed = await freePort();
    const ran = await queuebell(['company', 'list', '--url', `http://127.0.0.1:${closed}`, '--token', ADMIN_TOKEN]);
    expectOneLine(ran, new RegExp(`cannot reach http://127\\.0\\.0\\.1:${closed}: connection refused \\(is queuebell running there`));
    const push = await queuebell(['push', 'app', 'list', '--url', `http://127.0.0.1:${closed}`, '--token', ADMIN_TOKEN]);
    expectOneLine(push, /connection refused/);
  });

  it('reports a busy port by its number and exits instead of half running', async () => {
    const busy = await listenOnFreePort();
    try {
      const port = (busy.address() as { port: number }).port;
      const ran = await queuebell(['start'], {
        QUEUEBELL_DATA_DIR: join(dir, 'busy'),
        QUEUEBELL_QUEUE_PORT: String(port),
        QUEUEBELL_PUSH_PORT: '0',
      });
      expectOneLine(ran, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use \\(.*QUEUEBELL_QUEUE_PORT`));
    } finally {
      busy.close();
    }
  });

  it('refuses a database URL it cannot use, listing the accepted forms, and creates no file', async () => {
    const work = mkdtempSync(join(dir, 'mysql-'));
    const ran = await queuebell(
      ['migrate'],
      { QUEUEBELL_DATA_DIR: join(work, 'data'), QUEUEBELL_DATABASE_URL: 'mysql://root:hunter2@db/queue' },
      work,
    );
    expectOneLine(
      ran,
      /invalid configuration: QUEUEBELL_DATABASE_URL "mysql:\/\/root:\*\*\*@db\/queue" is not a database queuebell can use; accepted: an SQLite file path .*postgres:\/\//,
    );
    expect(readdirSync(work)).toEqual([]);
  });

  it('takes a file: URL as the SQLite file it names, and migrate says what it applied, then that nothing was left', async () => {
    const data = join(dir, 'migrate');
    const env = { QUEUEBELL_DATA_DIR: data, QUEUEBELL_DATABASE_URL: `file://${join(data, 'queue.sqlite')}` };
    const first = await queuebell(['migrate'], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`queue service \\(${join(data, 'queue.sqlite')}\\): applied 0001-initial, `));
    expect(first.stdout).toMatch(/push server \(.*push-server\.sqlite\): applied 0001-initial, /);
    expect(existsSync(join(data, 'queue.sqlite'))).toBe(true);
    const again = await queuebell(['migrate'], env);
    expect(again.stdout).toMatch(/queue service \(.*\): already up to date, nothing applied/);
    expect(again.stdout).toMatch(/push server \(.*\): already up to date, nothing applied/);
  });

  it('marks required options in --help and names the admin token --token everywhere', async () => {
    const company = await queuebell(['company', 'create', '--help']);
    expect(company.stdout).toMatch(/--name <name>\s+\(required\)/);
    const push = await queuebell(['push', '--help']);
    expect(push.stdout).toContain('--token <token>');
    expect(push.stdout).not.toContain('--admin-token');
    const app = await queuebell(['push', 'app', 'create', '--help']);
    expect(app.stdout).toMatch(/--name <name>\s+app name \(required\)/);
  });
});

function listenOnFreePort(): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

async function freePort(): Promise<number> {
  const server = await listenOnFreePort();
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
