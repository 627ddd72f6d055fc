/**
 * An integrator's flow over HTTP, written from docs/lineberty.md alone: list places and queues,
 * availabilities, book with Lineberty's sample body, list tickets, cancel; every field a Lineberty
 * client reads is there with its documented name and type.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../support/engines.js';
import { QueueHarness, expectStatus } from '../support/harness.js';

type Kind = 'string' | 'number' | 'boolean' | 'object' | 'null';
const kindOf = (value: unknown): Kind => (value === null ? 'null' : (typeof value as Kind));

/** Each field present with one of its documented kinds. */
function expectFields(object: Record<string, unknown>, fields: Record<string, Kind | Kind[]>): void {
  for (const [field, kinds] of Object.entries(fields)) {
    expect(object, field).toHaveProperty(field);
    expect([kinds].flat(), `${field} is ${kindOf(object[field])}`).toContain(kindOf(object[field]));
  }
}

/** A name given in English and French only: the other built-in locales show the default name. */
const untranslated = (name: string) => ({ es_ES: name, de_DE: name, it_IT: name, nl_NL: name });

describeEachEngine('a Lineberty integrator', (engine) => {
  let h: QueueHarness;
  let key: string;
  let placeId: string;
  let queueId: string;
  let typedQueueId: string;
  let typeId: string;
  let endpointId: string;

  beforeAll(async () => {
    h = await QueueHarness.start(engine);
    const company = expectStatus(await h.admin('POST', '/admin/companies', { name: 'Integrator' }), 201);
    key = expectStatus(await h.admin('POST', `/admin/companies/${company.id}/keys`, { scopes: ['booking'] }), 201).key;
    const place = expectStatus(
      await h.admin('POST', `/admin/companies/${company.id}/places`, {
        name: 'Town hall',
        names: { fr_FR: 'Mairie' },
        timeZone: 'Europe/Paris',
        lang: 'fr_FR',
        address: '1 place de la Mairie',
        city: 'Paris',
        zip: '75004',
        country: 'FR',
        position: { lat: 48.8566, lng: 2.3522 },
      }),
      201,
    );
    placeId = place.id;
    queueId = expectStatus(
      await h.admin('POST', `/admin/places/${placeId}/queues`, { name: 'Passports', names: { fr_FR: 'Passeports' } }),
      201,
    ).id;
    typedQueueId = expectStatus(await h.admin('POST', `/admin/places/${placeId}/queues`, { name: 'Advice' }), 201).id;
    endpointId = expectStatus(
      await h.admin('POST', `/admin/places/${placeId}/endpoints`, {
        name: 'Counter 1',
        names: { fr_FR: 'Guichet 1' },
        queueIds: [queueId],
      }),
      201,
    ).id;
    typeId = expectStatus(
      await h.admin('POST', `/admin/queues/${typedQueueId}/appointmentTypes`, { name: 'Meeting', durationMinutes: 30 }),
      201,
    ).id;
    expectStatus(
      await h.admin('PUT', `/admin/queues/${typedQueueId}/openingHours`, {
        weekly: { mon: [{ from: '09:00', to: '12:00' }], tue: [{ from: '09:00', to: '12:00' }] },
      }),
      200,
    );
  });
  afterAll(() => h.close());

  it('lists places keyed by id with every documented field, and the distance from a position', async () => {
    const places = expectStatus(await h.call('GET', `/v2/places?key=${key}&lat=48.86&lng=2.35`), 200);
    const place = places[placeId];
    expectFields(place, {
      placeId: 'string',
      companyId: 'string',
      name: 'object',
      address: 'string',
      city: 'string',
      zip: 'string',
      country: 'string',
      language: 'string',
      timezone: 'string',
      position: 'object',
      distance: 'number',
      subplaces: 'object',
      categories: 'object',
    });
    expect(place.name).toEqual({
      en_US: 'Town hall',
      fr_FR: 'Mairie',
      es_ES: 'Town hall',
      de_DE: 'Town hall',
      it_IT: 'Town hall',
      nl_NL: 'Town hall',
    });
    expect(place.distance).toBeGreaterThan(300);
    expect(place.distance).toBeLessThan(600);
    expect(place).toMatchObject({ timezone: 'Europe/Paris', language: 'fr_FR', position: { lat: 48.8566, lng: 2.3522 } });
    const without = expectStatus(await h.call('GET', `/v2/places/${placeId}?key=${key}`), 200);
    expect(without).not.toHaveProperty('distance');
  });

  it('lists queues keyed by id, the walk-in type where a queue has no type, and the six state flags', async () => {
    const queues = expectStatus(await h.call('GET', `/v2/places/${placeId}/queues?key=${key}`), 200);
    expect(Object.keys(queues)).toEqual([queueId, typedQueueId]);
    const all = expectStatus(await h.call('GET', `/v2/queues?key=${key}`), 200);
    expect(all).toEqual(queues);
    const queue = queues[queueId];
    expectFields(queue, { queueId: 'string', placeId: 'string', name: 'object', appointmentTypes: 'object', config: 'object' });
    expectFields(queue, { mailRequired: 'boolean', availabilitiesType: 'string' });
    expect(queue.name.fr_FR).toBe('Passeports');
    expect(queue.config.groupSizeLimit).toEqual({ min: 1, max: 10 });
    expect(typeof queue.config.hiddenModeAllowed).toBe('boolean');
    expect(Object.values(queue.appointmentTypes)).toEqual([expect.objectContaining({ appointmentTypeId: queueId, isWalkIn: true })]);
    expect(queues[typedQueueId].appointmentTypes[typeId]).toMatchObject({ appointmentTypeId: typeId, name: { en_US: 'Meeting' } });
    expect(queues[typedQueueId].availabilitiesType).toBe('FIFO_AND_APPOINTMENT');

    const states = expectStatus(await h.call('POST', `/v2/queues/state?key=${key}`, { body: { queuesId: [queueId, typedQueueId] } }), 200);
    for (const flag of [
      'bookingIsOpened',
      'queueIsOpened',
      'queueIsFull',
      'queueIsFullForTheDay',
      'queueIsFullForFifo',
      'queueIsFullForAppointment',
    ]) {
      expect(typeof states[queueId][flag], flag).toBe('boolean');
    }
    expect(states[queueId]).toMatchObject({ bookingIsOpened: true, queueIsFullForAppointment: true });
    expect(states[typedQueueId].queueIsFullForAppointment).toBe(false);
    const eligibility = expectStatus(await h.call('POST', `/v2/queues/eligibility?key=${key}`, { body: { queuesId: [queueId] } }), 200);
    expect(eligibility[queueId]).toEqual({ queueId, isEligible: true, reason: null });
    const unknown = await h.call('POST', `/v2/queues/state?key=${key}`, { body: { queuesId: ['que_unknown'] } });
    expect([unknown.status, unknown.body.error.details]).toEqual([404, { queueId: 'que_unknown' }]);
  });

  it('books with the sample body and a 1.x availability, lists, then cancels with an empty body', async () => {
    const user = expectStatus(await h.call('POST', `/v2/users?key=${key}`), 201);
    const slots1x = expectStatus(
      await h.call('GET', `/v2/queues/${typedQueueId}/appointmentTypes/${typeId}/groupSize/1/availabilities?key=${key}`),
      200,
    );
    // 2026-03-02 is a Monday, 10:00 in Paris: the rest of today's morning, then Tuesday's six slots.
    const v2 = expectStatus(await h.call('GET', `/v2/queues/${typedQueueId}/availabilities?key=${key}`), 200);
    expect(v2).toMatchObject({ availabilityType: 'APPOINTMENT', appointmentTypeId: typeId, date: '2026-03-02' });
    const today = v2.slots.map((slot: { start: string }) => slot.start);
    expect(today.length).toBeGreaterThan(1);
    expect(slots1x).toEqual([
      ...today,
      ...[8, 8.5, 9, 9.5, 10, 10.5].map((hour) => new Date(Date.UTC(2026, 2, 3, hour, (hour % 1) * 60)).toISOString()),
    ]);

    const sampleBody = (appointmentTypeId: string, bookedFor: string) => ({
      appointmentTypeId,
      groupSize: 1,
      bookedFor,
      lang: 'en_US',
      userData: { name: '', phone: '' },
      position: {},
      source: 'WEB_APP_SDK_TEST',
    });
    const booked = await h.call('POST', `/v2/queues/${typedQueueId}/ticket?key=${key}`, {
      token: user.jwtToken,
      body: sampleBody(typeId, slots1x[1]),
    });
    expect(booked.status, booked.text).toBe(201);
    const ticket = booked.body;
    expectFields(ticket, {
      ticketId: 'string',
      label: 'string',
      groupSize: 'number',
      state: 'number',
      isAnAppointment: 'boolean',
      ticketPosition: ['object', 'null'],
      timeline: 'object',
      queue: 'object',
      place: 'object',
      appointmentType: 'object',
    });
    expect(ticket).toMatchObject({
      state: 0,
      isAnAppointment: true,
      bookedFor: slots1x[1],
      queue: { queueId: typedQueueId, name: 'Advice' },
      place: { placeId, name: 'Town hall' },
      appointmentType: { appointmentTypeId: typeId, name: 'Meeting' },
      userData: { name: null, phone: null },
      source: 'WEB_APP_SDK_TEST',
    });
    expect(typeof ticket.timeline.estimatedFor).toBe('string');

    const walkInSlots = expectStatus(
      await h.call('GET', `/v2/queues/${queueId}/appointmentTypes/${queueId}/groupSize/1/availabilities?key=${key}`),
      200,
    );
    expect(walkInSlots).toEqual(['2026-03-02T09:00:00.000Z']);
    const walkIn = await h.call('POST', `/v2/queues/${queueId}/ticket?key=${key}`, {
      token: user.jwtToken,
      body: { ...sampleBody(queueId, walkInSlots[0]), lang: 'fr_FR', sendClientPush: 'true', pushId: 'device-1' },
    });
    expect(walkIn.status, walkIn.text).toBe(201);
    expect(walkIn.body).toMatchObject({
      isAnAppointment: false,
      bookedFor: null,
      language: 'fr_FR',
      queue: { name: 'Passeports' },
      place: { name: 'Mairie' },
      appointmentType: { appointmentTypeId: queueId, name: 'Passeports' },
      notifications: { pushId: 'device-1', sendClientPush: true },
      ticketPosition: { queue: { tickets: 0, people: 0 }, endpoint: { tickets: 0, people: 0 } },
    });

    const list = expectStatus(await h.call('GET', `/v2/user/tickets?key=${key}`, { token: user.jwtToken }), 200);
    expect(Object.keys(list.tickets).sort()).toEqual([ticket.ticketId, walkIn.body.ticketId].sort());
    expect(list.tickets[ticket.ticketId]).toEqual(ticket);

    const canceled = await h.call('PUT', `/v2/user/tickets/${ticket.ticketId}/cancel?key=${key}`, {
      token: user.jwtToken,
      raw: '',
      headers: { 'content-type': 'application/json' },
    });
    expect(canceled.status, canceled.text).toBe(200);
    expect(canceled.body).toMatchObject({ ticketId: ticket.ticketId, state: 600 });
  });

  it("gives a display every counter's names in every locale, by place and by queue", async () => {
    const others = { es_ES: 'Counter 1', de_DE: 'Counter 1', it_IT: 'Counter 1', nl_NL: 'Counter 1' };
    const counter = {
      endpointId,
      placeId,
      name: { en_US: 'Counter 1', fr_FR: 'Guichet 1', ...others },
      queueIds: [queueId],
      isOpen: false,
    };
    expect(expectStatus(await h.call('GET', `/v2/places/${placeId}/endpoints?key=${key}`), 200)).toEqual({ [endpointId]: counter });
    expect(expectStatus(await h.call('GET', `/v2/queues/endpoints?key=${key}`), 200)).toEqual({ [endpointId]: counter });
    expect(expectStatus(await h.call('GET', `/v2/queues/endpoints?key=${key}&queueIds=${typedQueueId}`), 200)).toEqual({});
  });

  it('lists the categories of a place and their queues; a place has subplaces or categories, never both', async () => {
    const category = expectStatus(
      await h.admin('POST', `/admin/places/${placeId}/categories`, { name: 'Documents', names: { fr_FR: 'Papiers' } }),
      201,
    );
    const refused = await h.admin('POST', `/admin/places/${placeId}/subplaces`, { name: 'East wing' });
    expect([refused.status, refused.body.error.code]).toEqual([409, 'PLACE_GROUPED_OTHERWISE']);
    expectStatus(await h.admin('PATCH', `/admin/queues/${queueId}`, { categoryId: category.id }), 200);
    const place = expectStatus(await h.call('GET', `/v2/places/${placeId}?key=${key}`), 200);
    const others = { es_ES: 'Documents', de_DE: 'Documents', it_IT: 'Documents', nl_NL: 'Documents' };
    const expected = { categoryId: category.id, placeId, subplaceId: null, name: { en_US: 'Documents', fr_FR: 'Papiers', ...others } };
    expect(place).toMatchObject({ subplaces: {}, categories: { [category.id]: expected } });
    expect(expectStatus(await h.call('GET', `/v2/places/${placeId}/categories?key=${key}`), 200)).toEqual({ [category.id]: expected });
    const queues = expectStatus(await h.call('GET', `/v2/places/${placeId}/categories/${category.id}/queues?key=${key}`), 200);
    expect(Object.keys(queues)).toEqual([queueId]);
    expect(queues[queueId].categoryId).toBe(category.id);
    expectStatus(await h.admin('DELETE', `/admin/categories/${category.id}`), 204);
    expect(expectStatus(await h.call('GET', `/v2/queues/${queueId}?key=${key}`), 200).categoryId).toBeNull();
  });

  it('lists the categories inside a subplace and the queues of each; the place keeps subplaces only', async () => {
    const companyId = expectStatus(await h.call('GET', `/v2/places/${placeId}?key=${key}`), 200).companyId;
    const mall = expectStatus(
      await h.admin('POST', `/admin/companies/${companyId}/places`, { name: 'Mall', timeZone: 'Europe/Paris' }),
      201,
    );
    const wing = expectStatus(
      await h.admin('POST', `/admin/places/${mall.id}/subplaces`, { name: 'East wing', names: { fr_FR: 'Aile est' } }),
      201,
    );
    const refused = await h.admin('POST', `/admin/places/${mall.id}/categories`, { name: 'Loose' });
    expect([refused.status, refused.body.error.code]).toEqual([409, 'PLACE_GROUPED_OTHERWISE']);
    const shoes = expectStatus(
      await h.admin('POST', `/admin/subplaces/${wing.id}/categories`, { name: 'Shoes', names: { fr_FR: 'Chaussures' } }),
      201,
    );
    expect(shoes).toMatchObject({ placeId: mall.id, subplaceId: wing.id, name: 'Shoes' });
    expect(expectStatus(await h.admin('GET', `/admin/subplaces/${wing.id}/categories`), 200).map((c: { id: string }) => c.id)).toEqual([
      shoes.id,
    ]);
    // A subplace's category puts the queue under the subplace too; another subplace is refused.
    const repairs = expectStatus(await h.admin('POST', `/admin/places/${mall.id}/queues`, { name: 'Repairs', categoryId: shoes.id }), 201);
    expect([repairs.subplaceId, repairs.categoryId]).toEqual([wing.id, shoes.id]);
    const west = expectStatus(await h.admin('POST', `/admin/places/${mall.id}/subplaces`, { name: 'West wing' }), 201);
    const mismatch = await h.admin('PATCH', `/admin/queues/${repairs.id}`, { subplaceId: west.id, categoryId: shoes.id });
    expect([mismatch.status, mismatch.body.error.code, mismatch.body.error.details.field]).toEqual([
      400,
      'VALIDATION_FAILED',
      'subplaceId',
    ]);
    const foreign = await h.admin('PATCH', `/admin/queues/${queueId}`, { categoryId: shoes.id });
    expect([foreign.status, foreign.body.error.code]).toEqual([404, 'CATEGORY_NOT_FOUND']);

    const shoesView = {
      categoryId: shoes.id,
      placeId: mall.id,
      subplaceId: wing.id,
      name: { en_US: 'Shoes', fr_FR: 'Chaussures', ...untranslated('Shoes') },
    };
    const place = expectStatus(await h.call('GET', `/v2/places/${mall.id}?key=${key}`), 200);
    expect(place.categories).toEqual({});
    expect(place.subplaces[wing.id]).toEqual({
      subplaceId: wing.id,
      placeId: mall.id,
      name: { en_US: 'East wing', fr_FR: 'Aile est', ...untranslated('East wing') },
      categories: { [shoes.id]: shoesView },
    });
    expect(place.subplaces[west.id].categories).toEqual({});
    expect(expectStatus(await h.call('GET', `/v2/places/${mall.id}/subplaces/${wing.id}/categories?key=${key}`), 200)).toEqual({
      [shoes.id]: shoesView,
    });
    for (const path of [
      `/v2/places/${mall.id}/subplaces/${wing.id}/categories/${shoes.id}/queues`,
      `/v2/places/${mall.id}/categories/${shoes.id}/queues`,
      `/v2/places/${mall.id}/subplaces/${wing.id}/queues`,
    ])
      expect(Object.keys(expectStatus(await h.call('GET', `${path}?key=${key}`), 200)), path).toEqual([repairs.id]);
    const elsewhere = await h.call('GET', `/v2/places/${mall.id}/subplaces/${west.id}/categories/${shoes.id}/queues?key=${key}`);
    expect([elsewhere.status, elsewhere.body.error.code]).toEqual([404, 'CATEGORY_NOT_FOUND']);
    const unknown = await h.call('GET', `/v2/places/${mall.id}/subplaces/spl_unknown/categories?key=${key}`);
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'SUBPLACE_NOT_FOUND']);

    // Deleting the subplace deletes its categories; the queue stays, directly under the place.
    expectStatus(await h.admin('DELETE', `/admin/subplaces/${wing.id}`), 204);
    const after = expectStatus(await h.call('GET', `/v2/queues/${repairs.id}?key=${key}`), 200);
    expect([after.subplaceId, after.categoryId]).toEqual([null, null]);
    expect((await h.admin('DELETE', `/admin/categories/${shoes.id}`)).status).toBe(404);
  });

  it('names every missing contact field at once', async () => {
    const user = expectStatus(await h.call('POST', `/v2/users?key=${key}`), 201);
    const reply = await h.call('POST', `/v2/queues/${queueId}/ticket?key=${key}`, {
      token: user.jwtToken,
      body: { sendClientSms: 'true', sendClientMail: true, userData: { phone: '', mail: '' } },
    });
    expect([reply.status, reply.body.error.code, reply.body.error.details.fields]).toEqual([
      400,
      'MISSING_FIELD',
      ['userData.phone', 'userData.mail'],
    ]);
  });

  it('names the fields a PUT needs when its body is absent or empty', async () => {
    const user = expectStatus(await h.call('POST', `/v2/users?key=${key}`), 201);
    const ticket = expectStatus(await h.call('POST', `/v2/queues/${queueId}/ticket?key=${key}`, { token: user.jwtToken, body: {} }), 201);
    for (const [action, field] of [
      ['report', 'body.reportFor'],
      ['rate', 'body.rating'],
    ]) {
      for (const raw of [undefined, '']) {
        const reply = await h.call('PUT', `/v2/user/tickets/${ticket.ticketId}/${action}?key=${key}`, {
          token: user.jwtToken,
          raw,
        });
        expect([reply.status, reply.body.error.code, reply.body.error.message, reply.body.error.details], action).toEqual([
          400,
          'VALIDATION_FAILED',
          `Missing field: ${field}.`,
          [{ field, problem: 'required' }],
        ]);
      }
    }
  });

  it('answers a browser preflight for the headers such clients send', async () => {
    const response = await fetch(`${h.url}/v2/queues/${queueId}/ticket?key=${key}`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type,access-control-allow-origin,access-control-allow-methods',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const allowed = response.headers.get('access-control-allow-headers') ?? '';
    for (const header of ['authorization', 'content-type', 'access-control-allow-origin', 'access-control-allow-methods'])
      expect(allowed).toContain(header);
    const places = await fetch(`${h.url}/v2/places?key=${key}`, { headers: { origin: 'https://app.example' } });
    expect(places.headers.get('access-control-allow-origin')).toBe('*');
  });
});
