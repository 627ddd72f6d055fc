/** A walk-in's appointmentTypeId is checked like an appointment's: a type of the booked queue, or 404. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../support/engines.js';
import { QueueHarness, expectStatus } from '../queue-service/support/harness.js';
import { book, createUser, setUpCompany } from '../queue-service/support/company.js';

describeEachEngine('walk-in appointment types', (engine) => {
  let h: QueueHarness;
  beforeAll(async () => {
    h = await QueueHarness.start(engine);
  });
  afterAll(() => h.close());

  it('refuses an unknown type and a type of another queue, and keeps a type of this queue', async () => {
    const co = await setUpCompany(h, 'WalkInCo');
    const user = await createUser(h, co);
    const newType = async (queueId: string) =>
      expectStatus(
        await h.admin('POST', `/admin/queues/${queueId}/appointmentTypes`, { name: 'Advice', durationMinutes: 30, capacity: 1 }),
        201,
      ).id;
    const own = await newType(co.queueId);
    const other = await newType(co.secondQueueId);

    const unknown = await book(h, co, user.token, { appointmentTypeId: 'apt_made_up' });
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'APPOINTMENT_TYPE_NOT_FOUND']);
    const foreign = await book(h, co, user.token, { appointmentTypeId: other });
    expect([foreign.status, foreign.body.error.code]).toEqual([404, 'APPOINTMENT_TYPE_NOT_FOUND']);
    const kept = expectStatus(await book(h, co, user.token, { appointmentTypeId: own }), 201);
    expect(kept).toMatchObject({ appointmentType: { appointmentTypeId: own, name: 'Advice' }, isAnAppointment: false });
  });
});
