/**
 * The queue service under the Lineberty queries benchmark, in its own process (API role, fresh
 * SQLite): a company with booking and operator keys, one place of three queues, the first open
 * every day around the clock with one appointment type (so availabilities have slots), a counter
 * serving all three, an operator, twenty waiting tickets per queue (so the state has a line), a
 * user, and the operator's token from Lineberty's login route.
 */
import { startQueueService } from '../../src/queue-service/main.js';
import { apiCaller, benchConfig, BENCH_ADMIN_TOKEN, seedBenchCompany } from './bench-company.js';

const service = await startQueueService({ config: benchConfig('queries'), role: 'api' });
const url = service.url!;
const call = apiCaller(url);
const admin = { authorization: `Bearer ${BENCH_ADMIN_TOKEN}` };
const seeded = await seedBenchCompany(call, { scopes: ['booking', 'operator'], openCounter: true, users: 1, queues: 3 });
const { companyId, key, queueId, queueIds, endpointId, tokens } = seeded;
// The counter serves every queue of the place.
await call('PATCH', `/admin/endpoints/${endpointId}`, { queueIds }, admin);

const allDay = [{ from: '00:00', to: '23:59' }];
const weekly = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, allDay]));
await call('PUT', `/admin/queues/${queueId}/openingHours`, { weekly }, admin);
const type = await call('POST', `/admin/queues/${queueId}/appointmentTypes`, { name: 'Advice', durationMinutes: 15, capacity: 4 }, admin);

const operator = { loginId: 'bench', password: 'bench operator password' };
await call('POST', `/admin/companies/${companyId}/operators`, operator, admin);
const operatorToken = (await call('POST', `/v2/operator/endpoint/${endpointId}/login`, { endpointId, ...operator })).token;

for (const id of queueIds) {
  for (let i = 0; i < 20; i++) {
    const user = await call('POST', '/v2/users', undefined, { 'x-api-key': key });
    await call('POST', `/v2/queues/${id}/ticket`, {}, { 'x-api-key': key, authorization: `Bearer ${user.jwtToken}` });
  }
}
const user = await call('POST', '/v2/users', undefined, { 'x-api-key': key });

process.send?.({
  ready: true,
  url,
  key,
  queueIds,
  appointmentTypeId: type.id ?? type.appointmentTypeId,
  operatorToken,
  userId: user.userId,
  userToken: tokens[0],
});
process.on('SIGTERM', () => void service.close().then(() => process.exit(0)));
