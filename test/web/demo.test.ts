/**
 * `npm start` as a newcomer meets it: `queuebell start --demo` from a fresh data dir prints the
 * page links, serves the pages with public values only, and a notification travels through the
 * four steps from the printed ticket page and desk, in a real browser.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPages } from '../../web/build.js';
import { chromiumPath, browserRequired, DESKTOP, launchBrowser, newContext } from './support/browser.js';

let child: ChildProcess;
let output = '';
let dataDir: string;

function printed(label: string): string {
  const match = new RegExp(`${label}\\s+(http://\\S+)`).exec(output);
  if (!match) throw new Error(`"${label}" is not in the banner:\n${output}`);
  return match[1]!;
}

describe('npm start', () => {
  beforeAll(async () => {
    await buildPages({ ifStale: true, quiet: true });
    dataDir = mkdtempSync(join(tmpdir(), 'queuebell-demo-web-'));
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
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner within a minute:\n${output}`)), 60_000);
      const check = setInterval(() => {
        if (!output.includes('Push app')) return;
        clearInterval(check);
        clearTimeout(timer);
        resolve();
      }, 100);
    });
  }, 90_000);

  afterAll(async () => {
    if (child?.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints links to the ticket page, the desk, the display board and admin, which all answer', async () => {
    for (const label of ['Ticket page', 'Counter desk', 'Display board', 'Admin']) {
      const response = await fetch(printed(label));
      expect(response.status, label).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/html');
    }
    expect(output).toMatch(/Operator login\s+demo \/ demo-operator/);
  });

  it('hands the pages public values only', async () => {
    const config = await (await fetch(new URL('/config.json', printed('Ticket page')))).json();
    expect(Object.keys(config).sort()).toEqual(['bookingKey', 'demo', 'placeId', 'push', 'queueId']);
    expect(config.bookingKey).toMatch(/^qb_pub_/);
    expect(Object.keys(config.push).sort()).toEqual(['appId', 'appKey', 'serverUrl', 'vapidPublicKey']);
    expect(Object.keys(config.demo).sort()).toEqual(['endpointId', 'operatorLoginId', 'webPushBridgeUrl']);
    expect(JSON.stringify(config)).not.toContain('demo-operator');
  });

  it.skipIf(!chromiumPath && !browserRequired)(
    'carries a call from the printed desk to the printed ticket page as a decrypted push',
    async () => {
      const browser = await launchBrowser();
      try {
        const origin = new URL(printed('Ticket page')).origin;
        const person = await (await newContext(browser, origin)).newPage();
        await person.goto(printed('Ticket page'));
        await person.getByRole('button', { name: 'Take my ticket' }).click();
        await person.getByTestId('ticket').getByText('A001').waitFor();

        const desk = await (await newContext(browser, origin, DESKTOP)).newPage();
        await desk.goto(printed('Counter desk'));
        await desk.getByLabel('Login').fill('demo');
        await desk.getByLabel('Password').fill('demo-operator');
        await desk.getByRole('button', { name: 'Sign in' }).click();
        await desk.getByRole('button', { name: 'Open the counter' }).click();
        await desk.getByRole('button', { name: 'Call next' }).click();

        await person.getByTestId('ticket-headline').getByText('Called — go to Counter 1').waitFor();
        await person.getByTestId('demo-payload').getByText("Ticket A001, it's your turn: please go to Counter 1.").waitFor();
        await person.getByText("Shown as a system notification by this page's service worker.").first().waitFor();
      } finally {
        await browser.close();
      }
    },
  );
});
