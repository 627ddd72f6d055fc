import { describe, expect, it } from 'vitest';
import { newSortableId } from '../../../src/platform/ids.js';
import { sortableIdFloor } from '../../../src/push-server/db/queries/messages.js';

// A file of its own: newSortableId never goes back in time within a process, so this moves the id clock.
describe("the purge's id floor", () => {
  it('sorts ids made before a moment below it and ids made after above it', () => {
    const at = Date.now() + 10 * 365 * 24 * 3600_000;
    expect(newSortableId('msg', at - 1) < sortableIdFloor('msg', at)).toBe(true);
    expect(newSortableId('msg', at + 1) >= sortableIdFloor('msg', at)).toBe(true);
    expect(newSortableId('psh', at + 2) >= sortableIdFloor('psh', at)).toBe(true);
  });
});
