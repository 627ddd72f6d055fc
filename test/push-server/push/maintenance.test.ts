import { afterAll, beforeAll, expect, it } from 'vitest';
import { runMaintenance } from '../../../src/push-server/push/maintenance.js';
import { describeEachEngine } from '../../support/engines.js';
import { messageBody, postSigned, startTestPushServer, type TestPushServer } from '../support.js';

describeEachEngine('expiry', (engine) => {
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

  it('expires unsent pushes at their deadline and not before', async () => {
    await postSigned(server, appId, secret, messageBody(pushId), { deliverBy: new Date(server.clock.now() + 60_000).toISOString() });
    expect((await runMaintenance(server.deps.db, server.clock.now() + 30_000)).expired).toBe(0);
    expect((await runMaintenance(server.deps.db, server.clock.now() + 61_000)).expired).toBe(1);
    const [job] = await server.deps.db.selectFrom('push_jobs').select('status').execute();
    expect(job!.status).toBe('expired');
  });
});
