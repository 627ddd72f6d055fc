/**
 * The signing secrets of a signature source, sealed as one JSON list in its row: read by the source
 * operations (rotation) and by the ingest cache, which is why they live apart from both.
 */
import { checkMasterKeyOpens } from '../../platform/master-key-check.js';
import type { SecretBox } from '../../platform/secrets.js';
import type { PushDb } from '../db/connect.js';
import type { SourceRow } from '../db/queries/sources.js';

export interface SourceSecret {
  secret: string;
  /** Null for the current secret; set when a rotation retires it. */
  expiresAt: number | null;
}

export function sealSecrets(box: SecretBox, secrets: SourceSecret[]): string {
  return box.seal(JSON.stringify(secrets));
}

export function openSecrets(box: SecretBox, source: Pick<SourceRow, 'secrets'>): SourceSecret[] {
  return source.secrets ? (JSON.parse(box.open(source.secrets)) as SourceSecret[]) : [];
}

/** At start: this host's master key opens the secrets another host may have sealed (platform/master-key-check.ts). */
export async function checkSourceSecretsOpen(db: PushDb, box: SecretBox, location: string): Promise<void> {
  const row = await db.selectFrom('sources').select('secrets').where('secrets', 'is not', null).limit(1).executeTakeFirst();
  checkMasterKeyOpens(row?.secrets ?? null, (sealed) => box.open(sealed), location, 'source secrets');
}
