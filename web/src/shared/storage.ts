/** Small typed wrappers over Web Storage that survive private modes where storage throws. */
export function readStored<T>(storage: 'local' | 'session', key: string): T | null {
  try {
    const raw = (storage === 'local' ? localStorage : sessionStorage).getItem(key);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}

export function writeStored(storage: 'local' | 'session', key: string, value: unknown): void {
  try {
    const target = storage === 'local' ? localStorage : sessionStorage;
    if (value === null || value === undefined) target.removeItem(key);
    else target.setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or forbidden: the page still works, it just forgets on reload.
  }
}
