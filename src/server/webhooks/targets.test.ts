import { describe, expect, it } from 'vitest';
import {
  checkTargetUrl,
  findTargetProblem,
  guardedLookup,
  isPublicAddress,
  PrivateTargetError,
} from './targets.ts';

const strict = { production: false, allowPrivate: false };

describe('webhook targets', () => {
  it('tells public addresses from loopback, private, link-local, CGNAT, multicast and unique-local ones', () => {
    for (const address of ['8.8.8.8', '151.101.1.69', '2a00:1450:4001:82b::200e', '::ffff:8.8.8.8']) {
      expect(isPublicAddress(address), address).toBe(true);
    }
    for (const address of [
      '127.0.0.1',
      '127.8.9.10',
      '0.0.0.0',
      '10.0.0.1',
      '172.16.5.4',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '100.127.255.254',
      '224.0.0.1',
      '255.255.255.255',
      '::1',
      '::',
      'fc00::1',
      'fd12:3456::1',
      'fe80::1',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:10.0.0.1',
      '64:ff9b::a9fe:a9fe',
      'not an address',
    ]) {
      expect(isPublicAddress(address), address).toBe(false);
    }
    // Just outside the private ranges.
    expect(isPublicAddress('172.32.0.1')).toBe(true);
    expect(isPublicAddress('100.128.0.1')).toBe(true);
  });

  it('checks scheme, credentials and literal hosts before any DNS', () => {
    expect(checkTargetUrl('http://example.com/x', { production: true, allowPrivate: false })).toBe(
      'https_required',
    );
    expect(checkTargetUrl('https://user:pw@example.com/x', strict)).toBe('credentials');
    expect(checkTargetUrl('ftp://example.com/x', strict)).toBe('not_url');
    expect(checkTargetUrl('http://[::1]/x', strict)).toBe('private_address');
    expect(checkTargetUrl('http://LOCALHOST/x', strict)).toBe('private_address');
    expect(checkTargetUrl('http://a.localhost/x', strict)).toBe('private_address');
    expect(checkTargetUrl('http://127.0.0.1/x', { production: false, allowPrivate: true })).toBeInstanceOf(
      URL,
    );
    expect(checkTargetUrl('https://hooks.example.com/x', strict)).toBeInstanceOf(URL);
  });

  it('refuses a name when any of its addresses is not public, and one that does not resolve', async () => {
    const resolve = async (host: string) => {
      if (host === 'core.example.test') return [{ address: '127.0.0.1', family: 4 }];
      if (host === 'mixed.example.test') {
        return [
          { address: '93.184.216.34', family: 4 },
          { address: '10.0.0.5', family: 4 },
        ];
      }
      if (host === 'public.example.test') return [{ address: '93.184.216.34', family: 4 }];
      throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
    };
    expect(await findTargetProblem('https://core.example.test/hook', strict, resolve)).toBe(
      'private_address',
    );
    expect(await findTargetProblem('https://mixed.example.test/hook', strict, resolve)).toBe(
      'private_address',
    );
    expect(await findTargetProblem('https://nowhere.example.test/hook', strict, resolve)).toBe(
      'unresolvable',
    );
    expect(await findTargetProblem('https://public.example.test/hook', strict, resolve)).toBeNull();
    const allowed = { production: false, allowPrivate: true };
    expect(await findTargetProblem('https://core.example.test/hook', allowed, resolve)).toBeNull();
  });

  it('refuses in the connection lookup a name that resolves to loopback, unless allowed', async () => {
    const lookup = (allow: boolean) =>
      new Promise<{ error: Error | null; address: unknown }>((resolve) => {
        guardedLookup(allow)('localhost', { family: 4 }, (error, address) => resolve({ error, address }));
      });
    const refused = await lookup(false);
    expect(refused.error).toBeInstanceOf(PrivateTargetError);
    const allowed = await lookup(true);
    expect(allowed.error).toBeNull();
    expect(allowed.address).toBe('127.0.0.1');
  });
});
