/**
 * The secrets generated into the data dir on a first start: created exclusively, so of several
 * processes starting at once exactly one generates each secret and all use that one; readable by
 * their owner only.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureDataSecret } from '../../src/platform/config.js';

const run = promisify(execFile);
const CONFIG = fileURLToPath(new URL('../../src/platform/config.ts', import.meta.url));
const parent = mkdtempSync(join(tmpdir(), 'queuebell-secrets-'));
afterAll(() => rmSync(parent, { recursive: true, force: true }));

describe('generated data-dir secrets', () => {
  it('are written once, 0600 in a 0700 data dir, and read back afterwards', () => {
    const dataDir = join(parent, 'one', 'data');
    const first = ensureDataSecret(dataDir, 'admin-token', 'qbadm_');
    expect(first.generated).toBe(true);
    expect(first.value).toMatch(/^qbadm_/);
    expect(ensureDataSecret(dataDir, 'admin-token', 'qbadm_')).toEqual({ value: first.value, generated: false });
    expect(statSync(join(dataDir, 'admin-token')).mode & 0o777).toBe(0o600);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
  });

  it('lets four first starts race: one generates the master key and all four use it', async () => {
    const dataDir = join(parent, 'race');
    const startAt = Date.now() + 8_000;
    const script = `
      const { ensureDataSecret } = await import(${JSON.stringify(CONFIG)});
      await new Promise((resolve) => setTimeout(resolve, ${startAt} - Date.now()));
      process.stdout.write(JSON.stringify(ensureDataSecret(${JSON.stringify(dataDir)}, 'master-key')));`;
    const results = await Promise.all(
      [1, 2, 3, 4].map(async () => {
        const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { timeout: 60_000 });
        return JSON.parse(stdout) as { value: string; generated: boolean };
      }),
    );
    expect(results.filter((result) => result.generated)).toHaveLength(1);
    expect(new Set(results.map((result) => result.value)).size).toBe(1);
    expect(statSync(join(dataDir, 'master-key')).mode & 0o777).toBe(0o600);
  }, 90_000);
});
