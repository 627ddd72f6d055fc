/**
 * CORS for the route groups web pages call (step ① from a browser, and results by pushId): the
 * ticket page is served by another origin (the queue service, or the company's own site) and
 * registers its Web Push subscription here, after a CORS preflight. Ingest, admin and server-key
 * routes send no CORS headers.
 */
import { allowBrowsers as allowBrowsersWith } from '../../platform/http/browser-cors.js';
import type { HttpServer } from '../../platform/http/server.js';

export function allowBrowsers(scope: HttpServer): void {
  allowBrowsersWith(scope, ['authorization', 'content-type', 'x-app-key']);
}
