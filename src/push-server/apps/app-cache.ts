/**
 * Apps read on every registration, ingest and push, kept in memory for a few seconds. Changes made
 * in this process drop the entry at once; other processes (API and worker scaled out) see them
 * within `ttlMs`. Credentials are unsealed only when the worker asks for them.
 */
import type { Clock } from '../../platform/clock.js';
import { LruMap } from '../../platform/lru-map.js';
import type { SecretBox } from '../../platform/secrets.js';
import type { PushDb } from '../db/connect.js';
import { findApp, type AppRow } from '../db/queries/apps.js';
import type { AppContext } from '../providers/provider.js';
import { NO_VAPID_SUBJECT } from '../providers/webpush/credentials.js';
import { openAppContext } from './credentials.js';

/** Apps held at once: far more than a deployment has, so only ids that do not exist get evicted. */
const MAX_APPS_CACHED = 10_000;
/**
 * An id that names no app is remembered this briefly: enough to absorb a burst of one id, short
 * enough that ids nobody asks for again leave quickly (the LRU bound holds regardless).
 */
const UNKNOWN_APP_TTL_MS = 1_000;

interface Entry {
  row: AppRow | undefined;
  loadedAt: number;
  context?: AppContext;
}

export interface AppCacheOptions {
  /** The operator's VAPID contact, for apps that gave none. */
  vapidSubject?: string;
  ttlMs?: number;
  maxEntries?: number;
}

export class AppCache {
  private readonly entries: LruMap<string, Entry>;
  private readonly ttlMs: number;
  private readonly vapidSubject: string;

  constructor(
    private readonly db: PushDb,
    private readonly box: SecretBox,
    private readonly clock: Clock,
    options: AppCacheOptions = {},
  ) {
    this.entries = new LruMap(options.maxEntries ?? MAX_APPS_CACHED);
    this.ttlMs = options.ttlMs ?? 5_000;
    this.vapidSubject = options.vapidSubject ?? NO_VAPID_SUBJECT;
  }

  /** How many apps (and unknown ids) are held now. */
  get size(): number {
    return this.entries.size;
  }

  async row(appId: string): Promise<AppRow | undefined> {
    return (await this.entry(appId)).row;
  }

  /** The app with its credentials opened; null when the app no longer exists. */
  async context(appId: string): Promise<AppContext | null> {
    const entry = await this.entry(appId);
    if (!entry.row) return null;
    entry.context ??= openAppContext(this.box, entry.row, this.vapidSubject);
    return entry.context;
  }

  forget(appId: string): void {
    this.entries.delete(appId);
  }

  private async entry(appId: string): Promise<Entry> {
    const cached = this.entries.get(appId);
    if (cached && this.clock.now() - cached.loadedAt < (cached.row ? this.ttlMs : UNKNOWN_APP_TTL_MS)) return cached;
    const fresh: Entry = { row: await findApp(this.db, appId), loadedAt: this.clock.now() };
    if (cached?.row && fresh.row && cached.row.updated_at === fresh.row.updated_at) fresh.context = cached.context;
    this.entries.set(appId, fresh);
    return fresh;
  }
}
