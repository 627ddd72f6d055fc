/**
 * The integrator server's JWT, Lineberty-style (docs/design.md §Credentials): RS256, signed with the
 * private key of a service account's key file; checked with the stored public key through `jose`.
 * Any failure is one 401 INVALID_SERVER_JWT whose message says what was wrong.
 */
import { createPublicKey } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, errors as joseErrors, jwtVerify } from 'jose';
import { AppError } from '../../contract/errors.js';
import type { ServiceAccount } from '../db/schema.js';
import type { QueueDb } from '../db/types.js';
import { findActiveServiceAccount } from '../db/queries/service-accounts.js';

/** Lineberty's rule: a server JWT lives at most one hour. */
const SERVER_JWT_MAX_LIFETIME_SECONDS = 3600;
/** Clocks of integrators' servers drift; a minute either way is tolerated on iat and exp. */
const SERVER_JWT_CLOCK_TOLERANCE_SECONDS = 60;

const invalid = (why: string) => new AppError('INVALID_SERVER_JWT', `The server JWT is not valid: ${why}.`);

/** The service account that signed `token`, or a 401 INVALID_SERVER_JWT. */
export async function verifyServerJwt(db: QueueDb, token: string, nowMs: number): Promise<ServiceAccount> {
  const { kid, iss } = readUnverified(token);
  // Lineberty's sample servers sign without a kid: the issuer names the account then.
  const account = await findActiveServiceAccount(db, kid ? { keyId: kid } : { clientEmail: iss });
  if (!account) throw invalid(kid ? 'unknown kid' : 'unknown issuer');
  if (account.client_email !== iss) throw invalid('iss is not the client_email of the key');
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, createPublicKey(account.public_key), {
      algorithms: ['RS256'],
      issuer: account.client_email,
      requiredClaims: ['iat', 'exp', 'iss', 'sub', 'aud'],
      currentDate: new Date(nowMs),
      clockTolerance: SERVER_JWT_CLOCK_TOLERANCE_SECONDS,
    }));
  } catch (error) {
    throw invalid(error instanceof joseErrors.JOSEError ? reasonOf(error) : 'malformed');
  }
  checkTimes(payload, nowMs / 1000);
  if (payload.email !== undefined && payload.email !== account.client_email) throw invalid('email is not the client_email of the key');
  return account;
}

/** Whether a bearer is meant as a server JWT (RS256 header), not a user token sent along by habit. */
export function isServerJwt(token: string): boolean {
  try {
    return decodeProtectedHeader(token).alg === 'RS256';
  } catch {
    return false;
  }
}

function readUnverified(token: string): { kid: string | undefined; iss: string } {
  try {
    const header = decodeProtectedHeader(token);
    if (header.alg !== 'RS256') throw invalid('alg must be RS256');
    const { iss } = decodeJwt(token);
    if (typeof iss !== 'string' || !iss) throw invalid('iss is missing');
    return { kid: typeof header.kid === 'string' && header.kid ? header.kid : undefined, iss };
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw invalid('not a JWT');
  }
}

function checkTimes(payload: Record<string, unknown>, nowSeconds: number): void {
  const { iat, exp } = payload as { iat: number; exp: number };
  if (iat > nowSeconds + SERVER_JWT_CLOCK_TOLERANCE_SECONDS) throw invalid('iat is in the future');
  if (exp - iat > SERVER_JWT_MAX_LIFETIME_SECONDS) throw invalid('exp is more than one hour after iat');
}

function reasonOf(error: InstanceType<typeof joseErrors.JOSEError>): string {
  if (error instanceof joseErrors.JWTExpired) return 'expired';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'wrong signature';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `claim ${error.claim} ${error.reason}`;
  return 'malformed';
}
