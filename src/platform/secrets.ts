/**
 * Secrets at rest and credentials in the database:
 * - API keys and tokens are random and long, so a fast SHA-256 is enough to store them;
 * - operator passwords are chosen by people, so they get scrypt (slow on purpose);
 * - secrets we must read back (webhook signing keys, provider credentials) are sealed with
 *   AES-256-GCM under a key derived from the master key.
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number, options: object) => Promise<Buffer>;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A random token with a readable prefix, e.g. `qb_live_…`. */
export function newToken(prefix: string, bytes = 24): string {
  return `${prefix}${randomBytes(bytes).toString('base64url')}`;
}

// N=2^15 takes ~50 ms on this class of machine: slow for a guesser, fine for a login.
const SCRYPT = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const derived = await scryptAsync(password, salt, 32, SCRYPT);
  return `scrypt$${SCRYPT.N}$${salt.toString('base64')}$${derived.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, saltText, hashText] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !saltText || !hashText) return false;
  const expected = Buffer.from(hashText, 'base64');
  const derived = await scryptAsync(password, Buffer.from(saltText, 'base64'), expected.length, { ...SCRYPT, N: Number(n) });
  return timingSafeEqual(derived, expected);
}

export class SecretBox {
  private readonly key: Buffer;

  constructor(masterKey: string, purpose: string) {
    this.key = Buffer.from(hkdfSync('sha256', Buffer.from(masterKey, 'utf8'), Buffer.alloc(0), `queuebell:${purpose}`, 32));
  }

  /** Derives a key for another purpose (for example signing user tokens) from the same master key. */
  static deriveKey(masterKey: string, purpose: string): Uint8Array {
    return new Uint8Array(hkdfSync('sha256', Buffer.from(masterKey, 'utf8'), Buffer.alloc(0), `queuebell:${purpose}`, 32));
  }

  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `v1.${iv.toString('base64url')}.${body.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}`;
  }

  open(sealed: string): string {
    const [version, iv, body, tag] = sealed.split('.');
    if (version !== 'v1' || !iv || !body || !tag) throw new Error('not a sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }
}
