import { afterAll, beforeAll, expect, it } from 'vitest';
import { RETENTION_MS, runMaintenance } from '../../../src/push-server/push/maintenance.js';
import { describeEachEngine } from '../../support/engines.js';
import { messageBody, postSigned, startTestPushServer, type TestPushServer } from '../support.js';

describeEachEngine('housekeeping', (engine) => {
  let server: TestPushServer;
  let appId: string;
  let secret: string;
  let pushId: string;

  beforeAll(async () => {
    server = await startTestPushServer(engine);
    const app = (await server.admin('POST', '/admin/apps', { name: 'housekeeping' })).body;
    appId = app.appId;
    secret = (await server.admin('POST', `/admin/apps/${appId}/sources`, { name: 'q' })).body.secret;
    pushId = (
      await server.request('POST', `/v1/apps/${appId}/devices`, {
        body: { provider: 'fcm', token: 'fcm-housekeeping' },
        headers: { 'x-app-key': app.appKey },
      })
    ).body.pushId;
  });
  afterAll(() => server.close());

  const count = async (table: 'messages' | 'push_jobs') =>
    Number(
      (
        await server.deps.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('expires unsent pushes at their deadline, then forgets messages and pushes after the retention', async () => {
    await postSigned(server, appId, secret, messageBody(pushId), { deliverBy: new Date(server.clock.now() + 60_000).toISOString() });
    expect(await count('push_jobs')).toBe(1);
    expect((await runMaintenance(server.deps.db, server.clock.now() + 30_000)).expired).toBe(0);
    expect((await runMaintenance(server.deps.db, server.clock.now() + 61_000)).expired).toBe(1);
    expect(await runMaintenance(server.deps.db, server.clock.now() + RETENTION_MS - 60_000)).toMatchObject({
      purgedJobs: 0,
      purgedMessages: 0,
    });
    expect(await runMaintenance(server.deps.db, server.clock.now() + RETENTION_MS + 60_000)).toMatchObject({
      purgedJobs: 1,
      purgedMessages: 1,
    });
    expect([await count('messages'), await count('push_jobs')]).toEqual([0, 0]);
  });
});
