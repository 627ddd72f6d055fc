/**
 * `queuebell purge` (docs/design.md §Retention): both databases at once — the queue service's
 * personal data past each company's retention, the push server's history past
 * QUEUEBELL_PUSH_RETENTION_DAYS — saying what went from each.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/platform/clock.js';
import { toJsonText } from '../../src/platform/json-text.js';
import { createApp } from '../../src/push-server/apps/app-operations.js';
import { migratePushDatabase, openPushDatabase } from '../../src/push-server/db/connect.js';
import { insertNewMessages, sortableIdFloor } from '../../src/push-server/db/queries/messages.js';
import { createPushDeps } from '../../src/push-server/deps.js';
import { queuebell } from './support.js';

const DAY = 86_400_000;
const dataDir = mkdtempSync(join(tmpdir(), 'queuebell-purge-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** A message received `daysAgo` days ago, its id made for that moment as ingest would have. */
function message(appId: string, daysAgo: number) {
  const at = systemClock.now() - daysAgo * DAY;
  return {
    id: `${sortableIdFloor('msg', at)}00${daysAgo}`,
    app_id: appId,
    source_id: null,
    webhook_id: `wh_${daysAgo}`,
    push_id: 'pid_x',
    action: 'TICKET_CALLED',
    content: 'Ticket A1, please go to counter 3.',
    ticket: toJsonText({ id: 'tkt_1', label: 'A1', state: 200, counter: null, lang: null }),
    deliver_by: at + 3600_000,
    received_at: at,
    status: 'unknown_push_id' as const,
    push_count: 0,
  };
}

describe('queuebell purge', { timeout: 90_000 }, () => {
  it("deletes the push server's history older than its retention and keeps the rest", async () => {
    const database = openPushDatabase(join(dataDir, 'push-server.sqlite'));
    await migratePushDatabase(database);
    const deps = createPushDeps({ database, masterKey: 'm'.repeat(40), adminToken: 'a'.repeat(20), logger: pino({ level: 'silent' }) });
    const { appId } = await createApp(deps, { name: 'purge' });
    await insertNewMessages(database.db, [message(appId, 10), message(appId, 4), message(appId, 1)]);
    await database.close();

    const env = { QUEUEBELL_DATA_DIR: dataDir, QUEUEBELL_MASTER_KEY: 'm'.repeat(40), QUEUEBELL_ADMIN_TOKEN: 'a'.repeat(20) };
    const byDefault = await queuebell(['purge'], env);
    expect(byDefault.code, byDefault.stderr).toBe(0);
    expect(byDefault.stdout).toMatch(/queue service \(.+\): erased the personal data of 0 tickets and 0 messages/);
    expect(byDefault.stdout).toMatch(/push server \(.+\): deleted 1 messages, 0 pushes and 0 receipts older than 7 days/);

    const shorter = await queuebell(['purge'], { ...env, QUEUEBELL_PUSH_RETENTION_DAYS: '3' });
    expect(shorter.stdout).toMatch(/deleted 1 messages, 0 pushes and 0 receipts older than 3 days/);
    const left = openPushDatabase(join(dataDir, 'push-server.sqlite'));
    expect(await left.db.selectFrom('messages').select('webhook_id').execute()).toEqual([{ webhook_id: 'wh_1' }]);
    await left.close();
  });
});
