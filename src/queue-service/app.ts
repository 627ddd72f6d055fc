/** buildQueueApp(deps): the queue service as a ready Fastify instance, without listening. */
import { acceptEmptyJsonBodies, createHttpServer, createMetricsRegistry, type HttpServer } from '../platform/http/server.js';
import { threadMetricsOf, type QueueServiceDeps } from './deps.js';
import { deliveryProgressOf, dispatcherReadiness, registerDeliveryGauges } from './dispatch/delivery-stall.js';
import { Auth } from './http/auth.js';
import { registerRefusalGauge } from './notifications/refusal-metrics.js';
import { SECURITY_SCHEMES } from './http/schemas.js';
import { registerAdminRoutes } from './admin/routes.js';
import { registerBookingRoutes } from './booking/routes.js';
import { registerIntegratorRoutes } from './integrator/routes.js';
import { registerValidationRoutes } from './validation/routes.js';
import { registerAppointmentRoutes } from './appointments/routes.js';
import { registerCalendarRoutes } from './appointments/calendar-routes.js';
import { registerDisplayRoutes } from './display/routes.js';
import { registerKioskRoutes } from './kiosk/routes.js';
import { registerInboundSmsRoutes } from './inbound-sms/routes.js';
import { StreamHub, type HubOptions } from './streams/hub.js';
import { registerStreamRoutes } from './streams/routes.js';
import { registerPages } from './pages/routes.js';
import { queueMetricsOf } from './metrics.js';
import { registerReceiptRoutes } from './receipts/routes.js';

export interface QueueAppOptions {
  /** Tuning of the live streams (heartbeat period…); streams/hub.ts has the defaults. */
  streams?: Partial<HubOptions>;
  /** This process runs a dispatcher (role all): /readyz also fails while delivery is stalled (dispatch/delivery-stall.ts). */
  runsDispatcher?: boolean;
}

const hubs = new WeakMap<object, StreamHub>();

/** The live-stream hub of an app built by buildQueueApp (tests drive heartbeats and count streams through it). */
export function streamHubOf(app: HttpServer): StreamHub | undefined {
  return hubs.get(app);
}

export async function buildQueueApp(deps: QueueServiceDeps, options: QueueAppOptions = {}): Promise<HttpServer> {
  const metrics = createMetricsRegistry('queue-service');
  registerDeliveryGauges(metrics, () => deliveryProgressOf(deps));
  registerRefusalGauge(metrics, deps);
  queueMetricsOf(deps).attach(metrics);
  const app = await createHttpServer({
    title: 'queuebell queue service',
    description:
      "Booking, validation (operator), display and admin APIs of queuebell. Every ticket change emits a signed message to the company's push server, and SMS or e-mail.",
    logger: deps.logger,
    traced: 'queue-service',
    metrics,
    moreMetrics: threadMetricsOf(deps),
    isReady: options.runsDispatcher ? dispatcherReadiness(deps) : () => deps.database.checkWritable(),
    tags: [
      {
        name: 'integrator',
        description: "The integrator's server: an API key for a server JWT, users and their sessions (Lineberty-style).",
      },
      { name: 'booking', description: 'People taking and following tickets (booking key, user token).' },
      { name: 'validation', description: 'Counter staff (operator token, or a key with the operator scope).' },
      { name: 'display', description: 'Screens in a place: its counters and the tickets they call (booking key).' },
      { name: 'kiosk', description: 'A tablet at the entrance giving walk-ins a ticket (kiosk key, bound to one place).' },
      { name: 'sms', description: "The SMS provider's inbound webhook: people's replies (Twilio signature)." },
      { name: 'receipts', description: 'Delivery receipts from push servers (signed per Standard Webhooks).' },
      { name: 'admin', description: 'Companies, places, queues, counters, operators, webhooks and the message log (admin token).' },
    ],
    securitySchemes: SECURITY_SCHEMES,
    trustProxy: deps.config.trustProxy,
    accessLog: deps.config.accessLog,
  });
  acceptEmptyJsonBodies(app);
  // Each group is a plugin with its own credential hook (docs/design.md §HTTP route groups); they
  // load in this order, which is the order of the OpenAPI paths. The booking, display and stream
  // groups answer CORS; counter-staff and admin groups do not.
  const auth = new Auth(deps);
  await registerIntegratorRoutes(app, deps, auth);
  await registerBookingRoutes(app, deps, auth);
  await registerValidationRoutes(app, deps, auth);
  await registerAppointmentRoutes(app, deps, auth);
  await registerCalendarRoutes(app, deps, auth);
  await registerAdminRoutes(app, deps, auth);
  await registerKioskRoutes(app, deps, auth);
  await registerInboundSmsRoutes(app, deps);
  await registerReceiptRoutes(app, deps);
  // Live streams follow the database from this process; they end before the server closes, so
  // closing does not wait for clients that never hang up.
  const hub = new StreamHub(deps, options.streams);
  await hub.start();
  hubs.set(app, hub);
  app.addHook('preClose', async () => hub.close());
  await registerStreamRoutes(app, deps, auth, hub);
  await registerDisplayRoutes(app, deps, auth, hub);
  await registerPages(app, deps);
  return app;
}
