/**
 * `queuebell operator queue-role …`, `queuebell subplace …` and `queuebell category …` as a person
 * runs them: the command from the sources in a process of its own against a real queue service,
 * each result checked through the admin API; a refusal is one line with the API's code, exit code 1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, QueueHarness, expectStatus } from '../queue-service/support/harness.js';
import { setUpCompany, type TestCompany } from '../queue-service/support/company.js';
import { queuebell, type Ran } from './support.js';

describe('queuebell queue roles, subplaces and categories', { timeout: 120_000 }, () => {
  let h: QueueHarness;
  let company: TestCompany;
  let other: TestCompany;

  /** Runs `queuebell …` against the harness and returns the JSON it printed. */
  async function run(...args: string[]): Promise<any> {
    const ran = await queuebell([...args, '--url', h.url, '--token', ADMIN_TOKEN]);
    expect(ran.code, ran.stderr).toBe(0);
    return JSON.parse(ran.stdout);
  }
  /** The one line a refusal prints, exit code 1, no stack trace. */
  async function refused(...args: string[]): Promise<string> {
    const ran: Ran = await queuebell([...args, '--url', h.url, '--token', ADMIN_TOKEN]);
    expect(ran.code, ran.stdout).toBe(1);
    const lines = ran.stderr.trim().split('\n');
    expect(lines, ran.stderr).toHaveLength(1);
    expect(ran.stdout).toBe('');
    return lines[0]!;
  }
  const admin = async (path: string) => expectStatus(await h.call('GET', path, { token: ADMIN_TOKEN }), 200) as any;

  beforeAll(async () => {
    h = await QueueHarness.start('sqlite');
    company = await setUpCompany(h, 'Acme');
    other = await setUpCompany(h, 'Other');
  });
  afterAll(async () => {
    await h.close();
  });

  it("sets, lists and clears an operator's role in one queue", async () => {
    const [operator] = await run('operator', 'list', '--company', company.companyId);
    const roles = { allowedStates: [200, 700], recall: false, manageCounter: false };
    const set = await run(
      'operator',
      'queue-role',
      'set',
      '--operator',
      operator.id,
      '--queue',
      company.queueId,
      '--roles',
      JSON.stringify(roles),
    );
    expect(set).toMatchObject({ queueId: company.queueId, roles: { ...roles, hiddenModeAllowed: false } });
    expect(await admin(`/admin/operators/${operator.id}/queueRoles`)).toEqual([set]);
    expect(await run('operator', 'queue-role', 'list', '--operator', operator.id)).toEqual([set]);

    expect(await run('operator', 'queue-role', 'clear', '--operator', operator.id, '--queue', company.queueId)).toEqual({
      cleared: company.queueId,
      operator: operator.id,
    });
    expect(await admin(`/admin/operators/${operator.id}/queueRoles`)).toEqual([]);
    // Nothing left to clear, and a queue of another company is not the operator's.
    expect(await refused('operator', 'queue-role', 'clear', '--operator', operator.id, '--queue', company.queueId)).toMatch(
      /^queuebell: NOT_FOUND: This operator has no role of its own in this queue\./,
    );
    expect(
      await refused('operator', 'queue-role', 'set', '--operator', operator.id, '--queue', other.queueId, '--roles', JSON.stringify(roles)),
    ).toMatch(/^queuebell: QUEUE_NOT_FOUND: /);
    expect(await admin(`/admin/operators/${operator.id}/queueRoles`)).toEqual([]);
  });

  it('creates and lists subplaces, categories of a subplace and of a place, and deletes them', async () => {
    const hall = await run('place', 'create', '--company', company.companyId, '--name', 'Annex', '--time-zone', 'Europe/Paris');
    const floor = await run('subplace', 'create', '--place', hall.id, '--name', 'Ground floor', '--names', '{"fr_FR":"Rez-de-chaussée"}');
    expect(floor).toMatchObject({ placeId: hall.id, name: 'Ground floor', names: { fr_FR: 'Rez-de-chaussée' } });
    expect(await run('subplace', 'list', '--place', hall.id)).toEqual([floor]);
    expect(await admin(`/admin/places/${hall.id}/subplaces`)).toEqual([floor]);

    const passports = await run('category', 'create', '--subplace', floor.id, '--name', 'Passports');
    expect(passports).toMatchObject({ placeId: hall.id, subplaceId: floor.id, name: 'Passports' });
    expect(await run('category', 'list', '--subplace', floor.id)).toEqual([passports]);
    expect(await run('category', 'list', '--place', hall.id)).toEqual([passports]);

    // The place of the company's set-up has no subplaces: it may have categories of its own.
    const own = await run('category', 'create', '--place', company.placeId, '--name', 'Civil status');
    expect(own).toMatchObject({ placeId: company.placeId, subplaceId: null });
    expect(await admin(`/admin/places/${company.placeId}/categories`)).toEqual([own]);
    // A place with subplaces has no categories of its own: the API's refusal, in one line.
    expect(await refused('category', 'create', '--place', hall.id, '--name', 'Misc')).toMatch(/^queuebell: PLACE_GROUPED_OTHERWISE: /);

    expect(await run('category', 'delete', '--category', passports.id)).toEqual({ deleted: passports.id });
    expect(await run('subplace', 'delete', '--subplace', floor.id)).toEqual({ deleted: floor.id });
    expect(await admin(`/admin/places/${hall.id}/subplaces`)).toEqual([]);
    expect(await admin(`/admin/places/${hall.id}/categories`)).toEqual([]);
  });

  it('asks for exactly one of --place and --subplace for a category, before any request', async () => {
    expect(await refused('category', 'create', '--name', 'Nowhere')).toBe(
      'queuebell: pass either --place or --subplace (a category belongs to a place or to one of its subplaces)',
    );
    expect(await refused('category', 'list', '--place', company.placeId, '--subplace', 'sub_x')).toMatch(
      /pass either --place or --subplace/,
    );
    expect(await admin(`/admin/places/${company.placeId}/categories`)).toHaveLength(1);
  });

  it('names a JSON option that is not JSON, in one line with a hint, before any request', async () => {
    const operators = await admin(`/admin/companies/${company.companyId}/operators`);
    expect(
      await refused('operator', 'queue-role', 'set', '--operator', 'op_x', '--queue', company.queueId, '--roles', '{allowedStates:[200]}'),
    ).toBe(`queuebell: --roles is not valid JSON (quote it for the shell, e.g. --roles '{"key":"value"}')`);
    expect(await refused('subplace', 'create', '--place', company.placeId, '--name', 'Hall', '--names', 'fr: Hall')).toMatch(
      /^queuebell: --names is not valid JSON/,
    );
    expect(await admin(`/admin/companies/${company.companyId}/operators`)).toEqual(operators);
  });
});
