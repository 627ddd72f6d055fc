/**
 * Which addresses an outgoing request to a URL chosen by a tenant may reach (SSRF, reference
 * webhooks.md §8). Only globally routable unicast addresses pass: loopback, private, link-local
 * (cloud metadata at 169.254.169.254), carrier-grade NAT, multicast, reserved, documentation and
 * benchmarking ranges are refused on both families. IPv6 forms that embed an IPv4 address
 * (IPv4-mapped ::ffff:a.b.c.d, IPv4-translated, NAT64 64:ff9b::/96, 6to4, Teredo) are refused too:
 * they would otherwise smuggle 127.0.0.1 past an IPv4-only check.
 */
import ipaddr from 'ipaddr.js';

export type AddressVerdict = { allowed: true } | { allowed: false; range: string };

export function classifyAddress(address: string): AddressVerdict {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(stripZone(address));
  } catch {
    return { allowed: false, range: 'unparseable' };
  }
  // ::ffff:127.0.0.1 is 127.0.0.1 to the kernel: judge the IPv4 address it carries.
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  // The deprecated IPv4-compatible form ::a.b.c.d (RFC 4291 §2.5.5.1): the URL parser turns
  // [::127.0.0.1] into [::7f00:1], which ipaddr.js calls unicast. Nothing public lives in ::/96.
  if (parsed.kind() === 'ipv6' && isIpv4Compatible(parsed as ipaddr.IPv6)) return { allowed: false, range: 'ipv4Compatible' };
  const range = parsed.range();
  return range === 'unicast' ? { allowed: true } : { allowed: false, range };
}

export function isPublicAddress(address: string): boolean {
  return classifyAddress(address).allowed;
}

/**
 * Why a URL's host is refused before any lookup, or null: a name under localhost, or an address
 * literal outside the public unicast ranges. Names are judged again by their resolved addresses
 * at send time (safe-http.ts); this catches what an admin can be told at once.
 */
export function literalHostProblem(url: URL): string | null {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return 'its host is localhost';
  if (!ipaddr.isValid(host)) return null;
  const verdict = classifyAddress(host);
  return verdict.allowed ? null : `its host is a ${verdict.range} address`;
}

/** In ::/96 but neither :: nor ::1, which keep their own names (unspecified, loopback). */
function isIpv4Compatible(address: ipaddr.IPv6): boolean {
  const parts = address.parts;
  return parts.slice(0, 6).every((part) => part === 0) && (parts[6] !== 0 || (parts[7] ?? 0) > 1);
}

/** `fe80::1%eth0` → `fe80::1`: the zone says which interface, not which address. */
function stripZone(address: string): string {
  const percent = address.indexOf('%');
  return percent === -1 ? address : address.slice(0, percent);
}
