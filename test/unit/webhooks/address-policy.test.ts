import { describe, expect, it } from 'vitest';
import { checkTarget, isPublicAddress, isPublicIPv4, isPublicIPv6, strictPolicy, type TargetPolicy } from '#shared/webhooks/address-policy.ts';

describe('public address policy', () => {
  it.each([
    '0.0.0.0',
    '0.1.2.3',
    '10.0.0.1',
    '10.255.255.255',
    '100.64.0.1',
    '100.127.255.254',
    '127.0.0.1',
    '127.9.9.9',
    '169.254.169.254',
    '172.16.0.1',
    '172.31.255.255',
    '192.0.0.8',
    '192.0.2.1',
    '192.168.1.1',
    '198.18.0.1',
    '198.19.255.255',
    '198.51.100.7',
    '203.0.113.9',
    '224.0.0.1',
    '239.255.255.250',
    '240.0.0.1',
    '255.255.255.255',
  ])('refuses IPv4 %s', (ip) => {
    expect(isPublicIPv4(ip)).toBe(false);
    expect(isPublicAddress(ip)).toBe(false);
  });

  it.each(['1.1.1.1', '8.8.8.8', '100.63.255.255', '100.128.0.1', '172.15.255.255', '172.32.0.1', '192.169.0.1', '93.184.216.34', '11.0.0.1'])(
    'allows IPv4 %s',
    (ip) => {
      expect(isPublicAddress(ip)).toBe(true);
    },
  );

  it.each([
    '::',
    '::1',
    'fc00::1',
    'fd12:3456:789a::1',
    'fe80::1',
    'fe80::1%eth0',
    'febf::1',
    'fec0::1',
    'ff02::1',
    'ff05::2',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    '::ffff:169.254.169.254',
    '64:ff9b::10.0.0.1',
    '64:ff9b::a9fe:a9fe',
    '2002:7f00:1::',
    '2002:c0a8:101::1',
    '2001:db8::1',
    '100::1',
    '2001::1',
    '2001:2::1',
    '::127.0.0.1',
    '3fff::1'.replace('3fff', '4000'),
  ])('refuses IPv6 %s', (ip) => {
    expect(isPublicIPv6(ip)).toBe(false);
    expect(isPublicAddress(ip)).toBe(false);
  });

  it.each(['2606:4700:4700::1111', '2001:4860:4860::8888', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1', '2a00:1450:4001:80b::200e'])(
    'allows IPv6 %s',
    (ip) => {
      expect(isPublicAddress(ip)).toBe(true);
    },
  );

  it('refuses what is not an address', () => {
    for (const bad of ['', 'localhost', '1.2.3', '1.2.3.4.5', '::g', '256.1.1.1']) expect(isPublicAddress(bad)).toBe(false);
  });
});

describe('checkTarget', () => {
  const resolving = (answers: Record<string, string[]>): TargetPolicy => ({
    ...strictPolicy,
    resolve: async (host) => (answers[host] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
  });

  it('the production policy allows https only', async () => {
    expect(strictPolicy.schemes).toEqual(['https:']);
    expect(await checkTarget('http://1.1.1.1/hook', strictPolicy)).toEqual({ ok: false, reason: 'scheme_not_allowed' });
    expect(await checkTarget('ftp://1.1.1.1/hook', strictPolicy)).toEqual({ ok: false, reason: 'scheme_not_allowed' });
    expect(await checkTarget('not a url', strictPolicy)).toEqual({ ok: false, reason: 'invalid_url' });
  });

  it('the production policy refuses literal internal addresses without DNS', async () => {
    for (const url of [
      'https://127.0.0.1/',
      'https://[::1]/',
      'https://169.254.169.254/latest/meta-data',
      'https://[::ffff:10.0.0.1]/',
      'https://0x7f000001/',
      'https://2130706433/',
    ]) {
      expect((await checkTarget(url, strictPolicy)).ok, url).toBe(false);
    }
  });

  it('checks after resolution: a name pointing inside is refused, even if only one answer does', async () => {
    const policy = resolving({ 'shop.example': ['93.184.216.34'], 'rebind.example': ['93.184.216.34', '10.0.0.5'], 'meta.example': ['169.254.169.254'] });
    expect(await checkTarget('https://shop.example/hook', policy)).toMatchObject({ ok: true, address: '93.184.216.34', family: 4 });
    expect(await checkTarget('https://rebind.example/hook', policy)).toEqual({ ok: false, reason: 'blocked_address' });
    expect(await checkTarget('https://meta.example/hook', policy)).toEqual({ ok: false, reason: 'blocked_address' });
    expect(await checkTarget('https://nowhere.example/hook', policy)).toEqual({ ok: false, reason: 'unresolvable' });
  });

  it('refuses credentials in the URL', async () => {
    expect(await checkTarget('https://user:pw@1.1.1.1/', strictPolicy)).toEqual({ ok: false, reason: 'credentials_in_url' });
  });
});
