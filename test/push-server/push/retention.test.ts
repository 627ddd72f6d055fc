/**
 * The push server's retention (docs/design.md §Retention): purgePushHistory, which the hourly timer
 * beside the push worker and `queuebell purge` run. Old messages, finished pushes and finished
 * receipts go; what is still waiting or on its way stays however old, and so do pushIds and devices.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { insertReceipts } from '../../../src/push-server/db/queries/receipts.js';
import { purgePushHistory } from '../../../src/push-server/push/retention.js';
import { describeEachEngine } from '../../support/engines.js';
import { inMinutes, messageBody, postSigned, startTestPushServer, type TestPushServer } from '../support.js';

const DAY = 86_400_000;

describeEachEngine('push history retention', (engine) => {
  let server: TestPushServer;
  let appId: string;
  let sourceId: string;
  let secret: string;
  let pushId: string;

  beforeEach(async () => {
    server = await startTestPushServer(engine);
    const app = (await server.admin('POST', '/admin/apps', { name: 'retention' })).body;
    appId = app.appId;
    const source = (await server.admin('POST', `/admin/apps/${appId}/sources`, { name: 'q' })).body;
    sourceId = source.sourceId;
    secret = source.secret;
    // Receipts go nowhere in this test (no sender runs): they are written and stay pending.
    await server.admin('PUT', `/admin/apps/${appId}/sources/${sourceId}/receipts`, { url: 'https://receipts.example.com/in' });
    pushId = (
      await server.request('POST', `/v1/apps/${appId}/devices`, {
        body: { provider: 'fcm', token: 'fcm-retention' },
        headers: { 'x-app-key': app.appKey },
      })
    ).body.pushId;
  });
  afterEach(() => server.close());

  const ids = async (table: 'messages' | 'push_jobs' | 'receipts') =>
    (await server.deps.db.selectFrom(table).select('id').orderBy('id').execute()).map((row) => row.id);

  /** Three messages: one pushed (with its receipts sent), one to an unknown pushId (its receipt sent), one whose push still waits. */
  async function history() {
    for (const ticketId of ['tkt_pushed', 'tkt_waiting']) {
      expect(
        (await postSigned(server, appId, secret, messageBody(pushId, { ticketId }), { deliverBy: inMinutes(server, 60) })).status,
      ).toBe(202);
    }
    expect((await postSigned(server, appId, secret, messageBody('pid_nobody'))).body.status).toBe('unknown_push_id');
    const [pushed, waiting] = await server.deps.db.selectFrom('push_jobs').selectAll().orderBy('id').execute();
    await server.deps.db
      .updateTable('push_jobs')
      .set({ status: 'delivered', finished_at: server.clock.now() })
      .where('id', '=', pushed!.id)
      .execute();
    const receipt = (id: string, status: 'delivered' | 'failed' | 'pending') => ({
      id,
      app_id: appId,
      source_id: sourceId,
      type: 'push.receipt' as const,
      webhook_id: 'wh',
      body: '{}',
      status,
      attempts: 1,
      available_at: server.clock.now(),
      created_at: server.clock.now(),
      updated_at: server.clock.now(),
      last_error: null,
    });
    await insertReceipts(server.deps.db, [receipt(`rcp_${pushed!.id}`, 'delivered'), receipt(`dvi_${pushed!.id}`, 'failed')]);
    await server.deps.db.updateTable('receipts').set({ status: 'delivered' }).where('id', 'like', 'rcp_msg_%').execute();
    return { pushed: pushed!, waiting: waiting! };
  }

  it('keeps everything younger than the retention', async () => {
    await history();
    const before = { messages: await ids('messages'), pushes: await ids('push_jobs'), receipts: await ids('receipts') };
    server.clock.advance(7 * DAY - 60_000);
    expect(await purgePushHistory(server.deps)).toEqual({ messages: 0, pushes: 0, receipts: 0 });
    expect({ messages: await ids('messages'), pushes: await ids('push_jobs'), receipts: await ids('receipts') }).toEqual(before);
  });

  it('deletes finished pushes, their messages and sent receipts past the retention, batch after batch, and keeps what still waits', async () => {
    const { waiting } = await history();
    expect(server.deps.retentionDays).toBe(7);
    server.clock.advance(7 * DAY + 60_000);
    // A batch of one: every kind takes several statements.
    expect(await purgePushHistory(server.deps, 1)).toEqual({ messages: 2, pushes: 1, receipts: 3 });
    expect(await ids('push_jobs')).toEqual([waiting.id]);
    expect(await ids('messages')).toEqual([waiting.message_id]);
    expect(await ids('receipts')).toEqual([]);
    // The pushId and its device live on.
    expect(await server.deps.db.selectFrom('devices').select('push_id').execute()).toEqual([{ push_id: pushId }]);
    expect(await purgePushHistory(server.deps)).toEqual({ messages: 0, pushes: 0, receipts: 0 });
  });

  it('keeps a receipt not yet sent however old', async () => {
    await history();
    await server.deps.db.updateTable('receipts').set({ status: 'pending' }).where('id', 'like', 'rcp_msg_%').execute();
    server.clock.advance(30 * DAY);
    expect((await purgePushHistory(server.deps)).receipts).toBe(2);
    expect((await ids('receipts')).map((id) => id.slice(0, 8))).toEqual(['rcp_msg_']);
  });

  it('follows the retention setting', async () => {
    await history();
    server.clock.advance(2 * DAY);
    expect(await purgePushHistory({ ...server.deps, retentionDays: 3 })).toEqual({ messages: 0, pushes: 0, receipts: 0 });
    expect(await purgePushHistory({ ...server.deps, retentionDays: 1 })).toEqual({ messages: 2, pushes: 1, receipts: 3 });
  });
});
