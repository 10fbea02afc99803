import { describe, expect, it } from 'vitest';
import { parseGroups, staffFromClaims } from '#shared/auth/caller.ts';
import { checkShopSignature, hmacHex, verifyIdentity } from '#shared/auth/hmac.ts';

describe('identity verification', () => {
  it('accepts the shop backend HMAC of the user id and nothing else', () => {
    const hmac = hmacHex('s3cret', 'user-42');
    expect(verifyIdentity('s3cret', 'user-42', hmac)).toBe(true);
    expect(verifyIdentity('s3cret', 'user-43', hmac)).toBe(false);
    expect(verifyIdentity('other', 'user-42', hmac)).toBe(false);
    expect(verifyIdentity('s3cret', 'user-42', undefined)).toBe(false);
    expect(verifyIdentity('s3cret', 'user-42', 'zz')).toBe(false);
  });
});

describe('shop request signatures', () => {
  const now = new Date('2026-11-26T10:00:00Z');
  const ts = String(now.getTime() / 1000);
  const body = '{"a":1}';
  const sig = hmacHex('whsec', `${ts}.${body}`);
  it('accepts a fresh, matching signature (with or without sha256= prefix)', () => {
    expect(checkShopSignature('whsec', ts, sig, body, now)).toBe('ok');
    expect(checkShopSignature('whsec', ts, `sha256=${sig}`, body, now)).toBe('ok');
  });
  it('refuses tampered bodies, stale timestamps and missing headers', () => {
    expect(checkShopSignature('whsec', ts, sig, '{"a":2}', now)).toBe('mismatch');
    expect(checkShopSignature('whsec', ts, sig, body, new Date(now.getTime() + 301_000))).toBe('stale');
    expect(checkShopSignature('whsec', undefined, sig, body, now)).toBe('missing');
  });
});

describe('staff claims', () => {
  it('reads Cognito groups as array or as the authorizer string form', () => {
    expect(parseGroups(['agent', 'admin', 'hacker'])).toEqual(['agent', 'admin']);
    expect(parseGroups('[agent supervisor]')).toEqual(['agent', 'supervisor']);
    expect(parseGroups(undefined)).toEqual([]);
    expect(staffFromClaims({ sub: 's1', email: 'a@b.c', 'cognito:groups': '[marketing]' }).roles).toEqual(['marketing']);
  });
});
