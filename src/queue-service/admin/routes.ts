/**
 * The admin group (docs/design.md §Routes): companies, places, queues, counters, operators,
 * webhooks, the message log, analytics and kiosks, all behind the admin token or a company key with the admin scope.
 * Each route file reads the caller from `request.admin` and keeps a company key to its own
 * company (scope.ts).
 */
import { routeGroup } from '../../platform/http/route-group.js';
import type { HttpServer } from '../../platform/http/server.js';
import type { QueueServiceDeps } from '../deps.js';
import type { Auth } from '../http/auth.js';
import { requireAdmin } from '../http/callers.js';
import { registerCompanyRoutes } from './company-routes.js';
import { registerMessageRoutes } from './message-routes.js';
import { registerNotificationLimitRoutes } from './notification-limits.js';
import { registerOperatorRoutes } from './operator-routes.js';
import { registerPagesRoutes } from './pages-routes.js';
import { registerPlaceRoutes } from './place-routes.js';
import { registerServiceAccountRoutes } from './service-account-routes.js';
import { registerPlaceGroupRoutes } from './place-group-routes.js';
import { registerWebhookRoutes } from './webhook-routes.js';
import { registerAnalyticsRoutes } from '../analytics/routes.js';
import { registerKioskAdminRoutes } from './kiosk-routes.js';

export async function registerAdminRoutes(app: HttpServer, deps: QueueServiceDeps, auth: Auth): Promise<void> {
  await routeGroup(app, (scope) => {
    requireAdmin(scope, auth);
    registerCompanyRoutes(scope, deps, auth);
    registerServiceAccountRoutes(scope, deps, auth);
    registerNotificationLimitRoutes(scope, deps);
    registerPlaceRoutes(scope, deps);
    registerPlaceGroupRoutes(scope, deps);
    registerOperatorRoutes(scope, deps);
    registerWebhookRoutes(scope, deps);
    registerMessageRoutes(scope, deps);
    registerAnalyticsRoutes(scope, deps);
    registerKioskAdminRoutes(scope, deps);
    registerPagesRoutes(scope, deps);
  });
}
