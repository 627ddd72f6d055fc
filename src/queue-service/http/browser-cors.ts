/**
 * CORS for the booking, display and stream groups: browsers call them directly with `?key=`, as
 * Lineberty's web apps do (docs/lineberty.md §Requests). The headers are the ones such clients
 * send; Lineberty's sample app also sends two `access-control-allow-*` headers of its own.
 */
import { allowBrowsers } from '../../platform/http/browser-cors.js';
import type { HttpServer } from '../../platform/http/server.js';

const BOOKING_CLIENT_HEADERS = [
  'authorization',
  'content-type',
  'x-api-key',
  'last-event-id',
  'cache-control',
  'x-requested-with',
  'access-control-allow-origin',
  'access-control-allow-methods',
  'access-control-allow-headers',
] as const;

export function allowBookingBrowsers(scope: HttpServer): void {
  allowBrowsers(scope, BOOKING_CLIENT_HEADERS);
}
