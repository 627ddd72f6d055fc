import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorCatalog } from '../../src/contract/errors.js';

describe('docs/errors.md', () => {
  it('lists every error code with its status', () => {
    const page = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
    const missing = errorCatalog()
      .filter((e) => !page.includes(`| \`${e.code}\` | ${e.status} |`))
      .map((e) => e.code);
    expect(missing).toEqual([]);
  });
});
