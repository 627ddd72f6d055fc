/**
 * A URL's host name judged by what it resolves to now (docs/security.md §Outgoing requests): at the
 * moment a destination is created an admin can be told that `hooks.internal` points at 10.0.0.5.
 * Send time checks again (safe-http.ts), since DNS can change; a name that does not resolve yet
 * is left to that check.
 */
import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';
import { classifyAddress } from './address-policy.js';

const LOOKUP_TIMEOUT_MS = 3_000;

/** Why the URL's host name resolves somewhere private, or null (an address literal is for literalHostProblem). */
export async function resolvedHostProblem(url: URL): Promise<string | null> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (ipaddr.isValid(host)) return null;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), LOOKUP_TIMEOUT_MS);
  });
  try {
    const addresses = await Promise.race([lookup(host, { all: true, verbatim: true }), timeout]);
    for (const { address } of addresses ?? []) {
      const verdict = classifyAddress(address);
      if (!verdict.allowed) return `${host} resolves to ${address}, a ${verdict.range} address`;
    }
    return null;
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}
