/**
 * What ingest needs to authenticate a sender, per app, opened once and kept a few seconds: the
 * signing secrets still valid of each signature source, and the token hashes of token sources.
 * Unsealing on every message would cost more than the HMAC itself.
 */
import type { Clock } from '../../platform/clock.js';
import { LruMap } from '../../platform/lru-map.js';
import type { SecretBox } from '../../platform/secrets.js';
import type { PushDb } from '../db/connect.js';
import { listSourcesOfApp } from '../db/queries/sources.js';
import { openSecrets } from './source-secrets.js';

export interface SigningSource {
  sourceId: string;
  secrets: string[];
  /** The earliest moment one of the secrets expires: the entry must be reloaded by then. */
  validUntil: number;
}

export interface AppSources {
  signing: SigningSource[];
  /** Token hash → source id. */
  tokens: Map<string, string>;
  loadedAt: number;
}

/** Apps whose sources are held at once; an id without sources is held like any other, within the bound. */
const MAX_APPS_CACHED = 10_000;

export class SourceCache {
  private readonly entries: LruMap<string, AppSources>;

  constructor(
    private readonly db: PushDb,
    private readonly box: SecretBox,
    private readonly clock: Clock,
    private readonly ttlMs = 5_000,
    maxEntries = MAX_APPS_CACHED,
  ) {
    this.entries = new LruMap(maxEntries);
  }

  get size(): number {
    return this.entries.size;
  }

  async of(appId: string): Promise<AppSources> {
    const now = this.clock.now();
    const cached = this.entries.get(appId);
    if (cached && now - cached.loadedAt < this.ttlMs && cached.signing.every((s) => s.validUntil > now)) return cached;
    const fresh = await this.load(appId, now);
    this.entries.set(appId, fresh);
    return fresh;
  }

  forget(appId: string): void {
    this.entries.delete(appId);
  }

  private async load(appId: string, now: number): Promise<AppSources> {
    const rows = await listSourcesOfApp(this.db, appId);
    const signing: SigningSource[] = [];
    const tokens = new Map<string, string>();
    for (const row of rows) {
      if (row.token_hash) tokens.set(row.token_hash, row.id);
      const live = openSecrets(this.box, row).filter((entry) => entry.expiresAt === null || entry.expiresAt > now);
      if (live.length === 0) continue;
      const validUntil = Math.min(...live.map((entry) => entry.expiresAt ?? Number.POSITIVE_INFINITY));
      signing.push({ sourceId: row.id, secrets: live.map((entry) => entry.secret), validUntil });
    }
    return { signing, tokens, loadedAt: now };
  }
}
