/**
 * The signing secrets of a signature source, sealed as one JSON list in its row: read by the source
 * operations (rotation) and by the ingest cache, which is why they live apart from both.
 */
import type { SecretBox } from '../../platform/secrets.js';
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
