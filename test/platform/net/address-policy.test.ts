import { describe, expect, it } from 'vitest';
import { classifyAddress, isPublicAddress } from '../../../src/platform/net/address-policy.js';

describe('classifyAddress', () => {
  it('refuses loopback, private, link-local, shared and reserved IPv4 ranges', () => {
    for (const address of [
      '127.0.0.1',
      '127.255.0.9',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '255.255.255.255',
      '224.0.0.1',
      '240.0.0.1',
      '198.18.0.1',
      '192.0.2.5',
      '203.0.113.7',
    ]) {
      expect(isPublicAddress(address), address).toBe(false);
    }
  });

  it('refuses IPv6 loopback, unique-local, link-local and forms that carry an IPv4 address', () => {
    for (const address of [
      '::1',
      '::',
      'fc00::1',
      'fd12:3456::1',
      'fe80::1',
      'fe80::1%eth0',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
      '::ffff:7f00:1',
      '::7f00:1',
      '::127.0.0.1',
      '::a00:1',
      '::808:808',
      '::ffff:0:127.0.0.1',
      '64:ff9b:1::a00:1',
      '64:ff9b::7f00:1',
      '2002:7f00:1::',
      '2001:db8::1',
      '2001::1',
    ]) {
      expect(isPublicAddress(address), address).toBe(false);
    }
  });

  it('accepts global unicast addresses, including an IPv4-mapped public one', () => {
    for (const address of ['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) {
      expect(isPublicAddress(address), address).toBe(true);
    }
  });

  it('names the range it refused', () => {
    expect(classifyAddress('169.254.169.254')).toEqual({ allowed: false, range: 'linkLocal' });
    expect(classifyAddress('::ffff:192.168.0.1')).toEqual({ allowed: false, range: 'private' });
    expect(classifyAddress('not an address')).toEqual({ allowed: false, range: 'unparseable' });
  });
});
