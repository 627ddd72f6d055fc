/**
 * `queuebell start --demo` as a newcomer runs it: a fresh data dir, both services and the fakes in
 * one process tree, the banner printed, and a ticket's change pushed through all four steps.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let child: ChildProcess;
let output = '';
let dataDir: string;

function waitFor(pattern: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; output so far:\n${output}`)), timeoutMs);
    const check = () => {
      const match = output.match(pattern);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      } else setTimeout(check, 100);
    };
    check();
  });
}

async function json(url: string, init: RequestInit = {}): Promise<any> {
  const response = await fetch(url, {
    ...init,
    headers: { ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers },
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

describe('queuebell start --demo', () => {
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'queuebell-start-'));
    child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'start', '--demo'], {
      env: {
        ...process.env,
        QUEUEBELL_DATA_DIR: dataDir,
        QUEUEBELL_QUEUE_PORT: '0',
        QUEUEBELL_PUSH_PORT: '0',
        QUEUEBELL_LOG_LEVEL: 'warn',
        QUEUEBELL_ADMIN_TOKEN: '',
        QUEUEBELL_MASTER_KEY: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    await waitFor(/queuebell is running with demo data/);
  }, 90_000);

  afterAll(async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints the admin token once, the URLs and the demo credentials', () => {
    const token = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
    expect(output).toContain(`Generated the admin token`);
    expect(output).toContain(token);
    expect(output).toMatch(/Queue service API\s+http:\/\/127\.0\.0\.1:\d+\/v2/);
    expect(output).toMatch(/Operator login\s+demo \/ demo-operator/);
    expect(output).toMatch(/Booking key\s+qb_pub_/);
  });

  it('pushes a called ticket through all four steps to the fake APNs', async () => {
    const queueUrl = output.match(/Queue service API\s+(http:\/\/[\d.:]+)\/v2/)![1]!;
    const pushUrl = output.match(/Push server API\s+(http:\/\/[\d.:]+)\/v1/)![1]!;
    const demo = JSON.parse(readFileSync(join(dataDir, 'demo.json'), 'utf8'));

    // ① register an iPhone with the push server
    const device = await json(`${pushUrl}/v1/apps/${demo.pushAppId}/devices`, {
      method: 'POST',
      headers: { 'x-app-key': demo.pushAppKey },
      body: JSON.stringify({ provider: 'apns', token: 'ab'.repeat(32), environment: 'production', locale: 'en_US' }),
    });
    // ② book with the pushId
    const user = await json(`${queueUrl}/v2/users?key=${demo.bookingKey}`, { method: 'POST' });
    const ticket = await json(`${queueUrl}/v2/queues/${demo.queueId}/ticket?key=${demo.bookingKey}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${user.jwtToken}` },
      body: JSON.stringify({ pushId: device.pushId, sendClientPush: true }),
    });
    // the operator calls it
    const login = await json(`${queueUrl}/v2/operator/endpoint/${demo.endpointId}/login`, {
      method: 'POST',
      body: JSON.stringify(demo.operator),
    });
    const operator = { authorization: `Bearer ${login.token}` };
    await json(`${queueUrl}/v2/endpoints/${demo.endpointId}`, { method: 'PUT', headers: operator, body: JSON.stringify({ isOpen: true }) });
    expect((await json(`${queueUrl}/v2/endpoints/${demo.endpointId}/next`, { method: 'POST', headers: operator })).ticketId).toBe(
      ticket.ticketId,
    );

    // ③ the signed message reaches the push server, ④ which pushes it to the device through the fake APNs
    let called: any;
    for (let i = 0; i < 100 && !called?.pushes?.every((p: any) => p.status === 'delivered'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const history = await json(`${pushUrl}/v1/push-ids/${device.pushId}/pushes`, {
        headers: { authorization: `Bearer ${device.secret}` },
      });
      called = history.messages.find((m: any) => m.action === 'TICKET_CALLED');
    }
    expect(called).toMatchObject({ action: 'TICKET_CALLED', status: 'accepted' });
    expect(called.pushes).toEqual([expect.objectContaining({ provider: 'apns', status: 'delivered', lastStatus: 200 })]);
  });

  it('stops gracefully on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('finishing in-flight work');
  });
});

describe('queuebell --help', () => {
  it('lists the commands', async () => {
    const help = await new Promise<string>((resolve) => {
      let text = '';
      const run = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--help']);
      run.stdout.on('data', (chunk) => (text += chunk));
      run.on('exit', () => resolve(text));
    });
    for (const command of ['start', 'queue-service', 'push-server', 'migrate', 'company', 'queue', 'operator'])
      expect(help).toContain(command);
  });
});
