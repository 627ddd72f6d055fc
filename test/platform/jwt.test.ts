import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { JwtVerifier, signJwt, verifyJwt } from '../../src/platform/jwt.js';

const key = new Uint8Array(32).fill(7);
const now = 1_800_000_000;

describe('HS256 tokens', () => {
  it('verifies what it signs until the expiry', () => {
    const token = signJwt({ sub: 'usr_1', exp: now + 60 }, key);
    expect(verifyJwt(token, key, now)).toMatchObject({ sub: 'usr_1' });
    expect(verifyJwt(token, key, now + 60)).toBeNull();
  });

  it('matches the RFC 7515 signing input, so other libraries can read our tokens', () => {
    const token = signJwt({ sub: 'x', exp: now + 1 }, key);
    const [header, payload, signature] = token.split('.');
    expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(signature).toBe(createHmac('sha256', key).update(`${header}.${payload}`).digest('base64url'));
  });

  it('refuses a changed payload, another key, alg none and garbage', () => {
    const token = signJwt({ sub: 'usr_1', exp: now + 60 }, key);
    const [header, , signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'usr_2', exp: now + 60 })).toString('base64url');
    expect(verifyJwt(`${header}.${forged}.${signature}`, key, now)).toBeNull();
    expect(verifyJwt(token, new Uint8Array(32).fill(8), now)).toBeNull();
    const none = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    expect(verifyJwt(`${none}.${forged}.`, key, now)).toBeNull();
    expect(verifyJwt('not.a.token', key, now)).toBeNull();
    expect(verifyJwt('', key, now)).toBeNull();
    expect(verifyJwt(signJwt({ sub: 'no-expiry' }, key), key, now)).toBeNull();
  });
});

describe('a verifier that remembers valid tokens', () => {
  it('answers a token it verified from memory, frozen, until the token expires', () => {
    const verifier = new JwtVerifier(key, 10);
    const token = signJwt({ sub: 'usr_1', exp: now + 60 }, key);
    const first = verifier.verify(token, now);
    expect(first).toMatchObject({ sub: 'usr_1' });
    expect(verifier.verify(token, now + 59)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(() => {
      (first as Record<string, unknown>).sub = 'usr_2';
    }).toThrow(TypeError);
    expect(verifier.verify(token, now + 60)).toBeNull();
    expect(verifier.verify(token, now)).toEqual(first);
  });

  it('never remembers a token that failed, and keeps at most its bound', () => {
    const verifier = new JwtVerifier(key, 2);
    const token = signJwt({ sub: 'usr_1', exp: now + 60 }, key);
    const [header, payload] = token.split('.');
    expect(verifier.verify(`${header}.${payload}.AAAA`, now)).toBeNull();
    expect(verifier.verify(signJwt({ sub: 'usr_1', exp: now + 60 }, new Uint8Array(32).fill(8)), now)).toBeNull();
    const tokens = [1, 2, 3].map((n) => signJwt({ sub: `usr_${n}`, exp: now + 60 }, key));
    const claims = tokens.map((t) => verifier.verify(t, now));
    // The oldest went: verified again, it is a new object; the two most recent are remembered.
    expect(verifier.verify(tokens[0]!, now)).not.toBe(claims[0]);
    expect(verifier.verify(tokens[2]!, now)).toBe(claims[2]);
  });
});
