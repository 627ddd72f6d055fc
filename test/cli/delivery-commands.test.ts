import { Command } from 'commander';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { parseTime, registerDeliveryCommands } from '../../src/cli/delivery-commands.js';
import { Dispatcher } from '../../src/queue-service/dispatch/dispatcher.js';
import { describeEachEngine } from '../support/engines.js';
import { ADMIN_TOKEN, QueueHarness, expectStatus } from '../queue-service/support/harness.js';
import { setUpCompany, type TestCompany } from '../queue-service/support/company.js';
import { TestReceiver } from '../queue-service/dispatch/support/receiver.js';

describeEachEngine('queuebell webhooks and messages', (engine) => {
  let h: QueueHarness;
  let company: TestCompany;
  let receiver: TestReceiver;

  /** Runs one command in this process, as `queuebell …` would, and returns the JSON it printed. */
  async function run(...args: string[]): Promise<any> {
    const program = new Command('queuebell').exitOverride();
    registerDeliveryCommands(program);
    const printed: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      printed.push(String(chunk));
      return true;
    });
    try {
      await program.parseAsync([...args, '--url', h.url, '--token', ADMIN_TOKEN], { from: 'user' });
    } finally {
      write.mockRestore();
    }
    return JSON.parse(printed.join(''));
  }

  beforeAll(async () => {
    h = await QueueHarness.start(engine, { QUEUEBELL_ALLOW_PRIVATE_WEBHOOKS: '1' });
    company = await setUpCompany(h);
    receiver = await TestReceiver.start();
  });
  afterAll(async () => {
    await receiver.close();
    await h.close();
  });

  it('creates, changes, rotates and shows destinations', async () => {
    const created = await run(
      'webhooks',
      'create',
      '--company',
      company.companyId,
      '--webhook-url',
      receiver.url(),
      '--actions',
      'TICKET_CALLED,TICKET_DONE',
    );
    expect(created).toMatchObject({ url: receiver.url(), actions: ['TICKET_CALLED', 'TICKET_DONE'], enabled: true, health: 'healthy' });
    expect(created.secret).toMatch(/^whsec_/);
    const updated = await run('webhooks', 'update', '--webhook', created.id, '--actions', 'all', '--disable');
    expect(updated).toMatchObject({ actions: null, enabled: false });
    const rotated = await run('webhooks', 'rotate-secret', '--webhook', created.id, '--overlap', '60');
    expect(rotated.secrets).toHaveLength(2);
    expect(rotated.secret).not.toBe(created.secret);
    expect((await run('webhooks', 'revoke-previous', '--webhook', created.id)).secrets).toHaveLength(1);
    const listed = await run('webhooks', 'list', '--company', company.companyId);
    expect(listed.map((w: any) => w.id)).toContain(created.id);
    expect(await run('webhooks', 'show', '--webhook', created.id)).toMatchObject({ id: created.id, enabled: false });
    const health = await run('webhooks', 'health', '--company', company.companyId);
    expect(health.destinations.find((d: any) => d.id === created.id)).toMatchObject({ health: 'disabled', waitingMessages: 0 });
    expect(await run('webhooks', 'delete', '--webhook', created.id)).toEqual({ deleted: created.id });
  });

  it('lists, shows and replays messages', async () => {
    const destination = await run('webhooks', 'create', '--company', company.companyId, '--webhook-url', receiver.url());
    receiver.behave({ kind: 'status', status: 400 });
    const user = expectStatus(await h.call('POST', '/v2/users', { key: company.bookingKey }), 201);
    const ticket = expectStatus(
      await h.call('POST', `/v2/queues/${company.queueId}/ticket`, {
        key: company.bookingKey,
        token: user.jwtToken,
        body: { pushId: 'push-cli', sendClientPush: true },
      }),
      201,
    );
    const dispatcher = new Dispatcher(h.deps, { random: () => 0.5 });
    await dispatcher.drain();
    const { messages } = await run('messages', 'list', '--ticket', ticket.ticketId, '--destination', destination.id, '--status', 'failed');
    expect(messages).toHaveLength(1);
    const shown = await run('messages', 'show', '--message', messages[0].id);
    expect(shown.attempts).toEqual([expect.objectContaining({ statusCode: 400, outcome: 'rejected' })]);

    receiver.behave({ kind: 'status', status: 200 });
    expect(await run('messages', 'replay', '--message', messages[0].id)).toMatchObject({
      id: messages[0].id,
      status: 'pending',
      replayCount: 1,
    });
    await dispatcher.drain();
    expect((await run('messages', 'show', '--message', messages[0].id)).status).toBe('delivered');
    const range = await run(
      'messages',
      'replay',
      '--from',
      new Date(h.clock.now() - 60_000).toISOString(),
      '--to',
      new Date(h.clock.now() + 1).toISOString(),
      '--destination',
      destination.id,
      '--statuses',
      'delivered',
    );
    expect(range).toEqual({ matched: 1, replayed: 1, skipped: 0, truncated: false });
    await dispatcher.stop();
  });

  it('reads times as RFC 3339 or as a duration back from now', () => {
    expect(parseTime('2h', Date.parse('2026-03-02T09:00:00Z'))).toBe('2026-03-02T07:00:00.000Z');
    expect(parseTime('2026-03-02T09:00:00+01:00')).toBe('2026-03-02T08:00:00.000Z');
    expect(() => parseTime('yesterday')).toThrow(/Not a time/);
  });
});
