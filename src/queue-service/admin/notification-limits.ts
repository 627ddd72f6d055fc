/**
 * Admin routes for a company's SMS and e-mail limits (docs/security.md §SMS and e-mail): the
 * countries SMS may go to and the send caps. GET shows them with their defaults filled in and the
 * countries in force; PATCH merges by key (null lifts a cap, `smsCountries: null` goes back to the
 * countries of the places).
 */
import { Type } from 'typebox';
import { fail } from '../../contract/errors.js';
import type { HttpServer } from '../../platform/http/server.js';
import type { QueueServiceDeps } from '../deps.js';
import { findNotificationLimitsOfCompany, updateNotificationLimits } from '../db/queries/companies.js';
import { companyInScope } from '../http/admin-scope.js';
import { Security, errors } from '../http/schemas.js';
import { NotificationLimitsInput, mergeNotificationLimits, parseNotificationLimits } from '../notifications/limits.js';
import { allowedSmsCountries } from '../notifications/send-policy.js';
import { CompanyParams } from './schemas.js';

const Cap = Type.Union([Type.Integer(), Type.Null()]);
const NotificationLimitsView = Type.Object({
  smsCountries: Type.Union([Type.Array(Type.String()), Type.Null()]),
  smsCountriesInForce: Type.Array(Type.String(), { description: 'The list, or the countries of the places when it is null.' }),
  smsPerNumberPerHour: Cap,
  smsPerNumberPerDay: Cap,
  smsPerCompanyPerHour: Cap,
  smsPerCompanyPerDay: Cap,
  mailPerAddressPerHour: Cap,
  mailPerAddressPerDay: Cap,
  mailPerCompanyPerHour: Cap,
  mailPerCompanyPerDay: Cap,
});

async function limitsView(deps: QueueServiceDeps, companyId: string) {
  const db = deps.database.db;
  const stored = await findNotificationLimitsOfCompany(db, companyId);
  if (stored === undefined) fail('COMPANY_NOT_FOUND');
  const limits = parseNotificationLimits(stored);
  return { ...limits, smsCountriesInForce: [...(await allowedSmsCountries(db, companyId, limits))].sort() };
}

export function registerNotificationLimitRoutes(scope: HttpServer, deps: QueueServiceDeps): void {
  const tags = ['admin'];
  const security = Security.admin;
  scope.get(
    '/admin/companies/:companyId/notificationLimits',
    {
      schema: {
        tags,
        security,
        summary: "Get a company's SMS and e-mail limits",
        params: CompanyParams,
        response: { 200: NotificationLimitsView, ...errors(401, 403, 404) },
      },
    },
    async (request) => limitsView(deps, companyInScope(request.admin, request.params.companyId)),
  );
  scope.patch(
    '/admin/companies/:companyId/notificationLimits',
    {
      schema: {
        tags,
        security,
        summary: "Change a company's SMS and e-mail limits",
        params: CompanyParams,
        body: NotificationLimitsInput,
        response: { 200: NotificationLimitsView, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const companyId = companyInScope(request.admin, request.params.companyId);
      const stored = await findNotificationLimitsOfCompany(deps.database.db, companyId);
      if (stored === undefined) fail('COMPANY_NOT_FOUND');
      const merged = mergeNotificationLimits(parseNotificationLimits(stored), request.body);
      await updateNotificationLimits(deps.database.db, companyId, JSON.stringify(merged));
      return limitsView(deps, companyId);
    },
  );
}
