import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const SOURCE = /\.(ts|tsx|css)$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'dist' || name === 'results') return [];
    return statSync(path).isDirectory() ? sourceFiles(path) : SOURCE.test(name) ? [path] : [];
  });
}

/** Every source, test and bench file but this one, whose patterns would match themselves. */
const files = ['src', 'web/src', 'test', 'bench']
  .flatMap((dir) => sourceFiles(join(repo, dir)))
  .filter((file) => file !== fileURLToPath(import.meta.url));
const sections = readFileSync(join(repo, 'docs/design.md'), 'utf8')
  .split('\n')
  .filter((line) => line.startsWith('## §'))
  .map((line) => line.slice(4).trim());

describe('docs/design.md', () => {
  it('has a section for every section a source comment cites', () => {
    const unknown: string[] = [];
    for (const file of files) {
      for (const match of readFileSync(file, 'utf8').matchAll(/docs\/design\.md §([^).,:;'"`]+)/g)) {
        const cited = match[1]!.trim();
        if (!sections.some((title) => cited === title || cited.startsWith(`${title} `))) unknown.push(`${relative(repo, file)}: §${cited}`);
      }
    }
    expect(sections.length).toBeGreaterThan(0);
    expect(unknown).toEqual([]);
  });

  it('is the only document source comments cite: no plan, style guide, issue number or path outside the repository', () => {
    const outside = /\bDESIGN [§]|\bSTYLE [§]|shared\/reference\/|\/work\/|\bissue #?\d/;
    const offending = files.filter((file) => outside.test(readFileSync(file, 'utf8'))).map((file) => relative(repo, file));
    expect(offending).toEqual([]);
  });
});
