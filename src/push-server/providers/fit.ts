/**
 * Every provider caps its payload (APNs and FCM 4096 bytes, Web Push 3993 bytes of plaintext) and
 * rejects a larger one after the network round trip. The message text is the only part that can
 * grow, so it is shortened to fit before sending; what still does not fit is refused here.
 */
const ELLIPSIS = '…';

/**
 * Builds with the full body, then with shorter bodies, until the encoded size fits `limit`.
 * Returns null when even an empty body does not fit.
 */
export function fitToLimit<T>(body: string, limit: number, build: (body: string) => T, size: (built: T) => number): T | null {
  let candidate = body;
  for (let round = 0; round < 8; round += 1) {
    const built = build(candidate);
    const excess = size(built) - limit;
    if (excess <= 0) return built;
    if (candidate.length === 0) return null;
    candidate = truncateBytes(candidate, Buffer.byteLength(candidate) - excess - Buffer.byteLength(ELLIPSIS) - 8);
  }
  return null;
}

/** Cuts at a character boundary so no multi-byte character is split, and marks the cut. */
export function truncateBytes(text: string, maxBytes: number): string {
  if (maxBytes <= 0) return '';
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    const length = Buffer.byteLength(char);
    if (bytes + length > maxBytes) break;
    bytes += length;
    end += char.length;
  }
  return end >= text.length ? text : text.slice(0, end) + ELLIPSIS;
}
