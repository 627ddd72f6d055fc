/**
 * The webhook destinations of a claimed batch, read fresh from the database for every batch (a
 * disable, a new URL or a rotation applies to the next batch), with their secrets opened once per
 * version of the `secrets` column rather than once per message.
 */
import type { SecretBox } from '../../platform/secrets.js';
import type { Webhook } from '../db/schema.js';
import type { QueueDb } from '../db/types.js';
import { findWebhooksByIds } from '../db/queries/webhooks.js';
import { openSecrets, type OpenedSecret } from './signing-secrets.js';

export interface Destination {
  id: string;
  companyId: string;
  url: string;
  enabled: boolean;
  secrets: readonly OpenedSecret[];
}

export class DestinationBook {
  private readonly opened = new Map<string, readonly OpenedSecret[]>();

  constructor(private readonly box: SecretBox) {}

  async load(db: QueueDb, ids: string[]): Promise<Map<string, Destination>> {
    const rows = await findWebhooksByIds(db, ids);
    return new Map(rows.map((row) => [row.id, this.toDestination(row)]));
  }

  private toDestination(row: Webhook): Destination {
    return { id: row.id, companyId: row.company_id, url: row.url, enabled: row.enabled === 1, secrets: this.secretsOf(row.secrets) };
  }

  private secretsOf(column: string): readonly OpenedSecret[] {
    let secrets = this.opened.get(column);
    if (!secrets) {
      secrets = openSecrets(this.box, column);
      if (this.opened.size > 1_000) this.opened.clear();
      this.opened.set(column, secrets);
    }
    return secrets;
  }
}
