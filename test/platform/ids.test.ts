import { describe, expect, it } from 'vitest';
import { newId, newSortableId } from '../../src/platform/ids.js';

describe('ids', () => {
  it('carry their prefix, 128 random bits by default, and never repeat across pool refills', () => {
    const ids = Array.from({ length: 2000 }, () => newId('tkt'));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^tkt_[A-Za-z0-9_-]{22}$/);
  });

  it('sort by creation, even within one millisecond and when the clock steps back', () => {
    const made = [newSortableId('msg', 2_000), newSortableId('msg', 2_000), newSortableId('msg', 1_000), newSortableId('msg', 3_000)];
    expect([...made].sort()).toEqual(made);
    expect(made.every((id) => /^msg_[0-9a-f]{36}$/.test(id))).toBe(true);
  });
});
