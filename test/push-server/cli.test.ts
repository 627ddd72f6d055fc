import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../support/engines.js';
import { registerPushCommands } from '../../src/cli/push-commands.js';
import { startFakePushProviders, type FakePushProviders } from '../../src/fakes/push-providers.js';
import { ADMIN_TOKEN, startTestPushServer, type TestPushServer } from './support.js';

describeEachEngine('queuebell push commands', (engine) => {
  let server: TestPushServer;
  let fakes: FakePushProviders;
  let dir: string;

  const run = async (...args: string[]): Promise<any> => {
    const printed: string[] = [];
    const program = new Command().exitOverride();
    registerPushCommands(program, { out: (text) => printed.push(text) });
    await program.parseAsync(['push', '--url', server.base, '--token', ADMIN_TOKEN, ...args], { from: 'user' });
    return JSON.parse(printed.join('\n'));
  };

  beforeAll(async () => {
    server = await startTestPushServer(engine);
    fakes = await startFakePushProviders();
    dir = mkdtempSync(join(tmpdir(), 'qb-cli-'));
    writeFileSync(join(dir, 'key.p8'), fakes.apns.keyP8);
    writeFileSync(join(dir, 'ca.pem'), fakes.apns.ca);
    writeFileSync(join(dir, 'sa.json'), JSON.stringify(fakes.fcm.serviceAccount));
  });
  afterAll(async () => {
    await server.close();
    await fakes.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates an app with credentials from files, then a source, and shows them without secrets', async () => {
    const created = await run(
      'app',
      'create',
      '--name',
      'From the CLI',
      '--title',
      'default=Your ticket',
      '--title',
      'fr=Votre ticket',
      '--apns-key',
      join(dir, 'key.p8'),
      '--apns-key-id',
      fakes.apns.keyId,
      '--apns-team-id',
      fakes.apns.teamId,
      '--apns-topic',
      fakes.apns.topic,
      '--apns-base-url',
      fakes.apns.baseUrl,
      '--apns-ca',
      join(dir, 'ca.pem'),
      '--fcm-service-account',
      join(dir, 'sa.json'),
      '--fcm-base-url',
      fakes.fcm.baseUrl,
    );
    expect(created).toEqual({
      appId: expect.stringMatching(/^app_/),
      appKey: expect.any(String),
      serverKey: expect.any(String),
      vapidPublicKey: expect.any(String),
    });
    const source = await run('source', 'create', created.appId, '--name', 'queue service');
    expect(source).toMatchObject({
      secret: expect.stringMatching(/^whsec_/),
      ingestUrl: `${server.base}/v1/apps/${created.appId}/messages`,
    });
    const shown = await run('app', 'show', created.appId);
    expect(shown).toMatchObject({
      name: 'From the CLI',
      titles: { default: 'Your ticket', fr: 'Votre ticket' },
      apns: { keyId: fakes.apns.keyId },
      fcm: { projectId: 'queuebell-fake' },
    });
    expect(JSON.stringify(shown)).not.toContain(fakes.apns.keyP8.split('\n')[1]);
    const rotated = await run('source', 'rotate', created.appId, source.sourceId);
    expect(rotated.secret).not.toBe(source.secret);
    expect((await run('app', 'update', created.appId, '--remove-fcm')).fcm).toBeNull();
    expect((await run('app', 'list')).apps.map((a: any) => a.appId)).toContain(created.appId);
  });

  it("reports the server's refusal", async () => {
    await expect(run('app', 'show', 'app_missing')).rejects.toThrow(/^APP_NOT_FOUND: /);
  });

  it('still takes the old --admin-token, hidden from --help', async () => {
    const printed: string[] = [];
    const program = new Command().exitOverride();
    registerPushCommands(program, { out: (text) => printed.push(text) });
    await program.parseAsync(['push', '--url', server.base, '--admin-token', ADMIN_TOKEN, 'app', 'list'], { from: 'user' });
    expect(JSON.parse(printed.join('\n')).apps).toEqual(expect.any(Array));
  });
});
