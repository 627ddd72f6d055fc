/** The public values the queue service hands the pages (src/queue-service/pages/pages-config.ts). */
import type { PagesConfig } from '../../../src/contract/pages-config.js';
import { api } from './api.js';

export type { PagesConfig };

export function loadPagesConfig(): Promise<PagesConfig> {
  return api<PagesConfig>('GET', '/config.json');
}
