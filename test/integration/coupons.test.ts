/** Coupon pools on the local stack: codes added once each; concurrent claims never give a code twice and stop at the stock. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack } from '#infra/local/stack.ts';
import { generateCodes } from '#shared/coupons/codes.ts';
import { addCodes, claimCode, createPool, poolStock } from '#shared/coupons/store.ts';

let stack: Awaited<ReturnType<typeof startLocalStack>>;
beforeAll(async () => {
  stack = await startLocalStack({ port: 0, memory: true, quiet: true, seed: false });
});
afterAll(async () => stack?.stop());

describe('coupon pools', () => {
  const now = new Date();
  const pool = (poolId: string, expiresAt = new Date(now.getTime() + 86_400_000).toISOString()) =>
    createPool({ poolId, name: { zh: '满99减10', en: '10 off 99' }, value: 10, threshold: 99, expiresAt, createdAt: now.toISOString() });

  it('30 concurrent claimants for 20 codes: 20 distinct codes, then out of stock; a repeated recipient gets the same code', async () => {
    await pool('p-race');
    const codes = generateCodes(20, { alphabet: 'ABCDEFGHJK', length: 8 });
    expect(await addCodes('p-race', codes)).toEqual({ added: 20, duplicates: [] });
    expect(await addCodes('p-race', codes.slice(0, 3))).toEqual({ added: 0, duplicates: codes.slice(0, 3) });
    const outcomes = await Promise.all(Array.from({ length: 30 }, (_, i) => claimCode('p-race', `r-${i}`, now)));
    const given = outcomes.filter((o) => typeof o !== 'string').map((o) => (o as { code: string }).code);
    expect(given).toHaveLength(20);
    expect(new Set(given).size).toBe(20);
    expect(outcomes.filter((o) => o === 'out_of_stock')).toHaveLength(10);
    const first = outcomes.findIndex((o) => typeof o !== 'string');
    expect(await claimCode('p-race', `r-${first}`, now)).toEqual({ code: (outcomes[first] as { code: string }).code, repeated: true });
    expect(await poolStock('p-race')).toEqual({ total: 20, claimed: 20, available: 0 });
  });

  it('one recipient claimed by many at once gets one code; an expired pool gives none', async () => {
    await pool('p-same');
    await addCodes('p-same', generateCodes(10, { alphabet: 'ABCDEFGHJK', length: 8 }));
    const same = await Promise.all(Array.from({ length: 10 }, () => claimCode('p-same', 'campaign#c1#con_1', now)));
    expect(new Set(same.map((o) => (o as { code: string }).code)).size).toBe(1);
    expect((await poolStock('p-same')).claimed).toBe(1);
    await pool('p-old', new Date(now.getTime() - 1000).toISOString());
    await addCodes('p-old', ['OLD-1234']);
    expect(await claimCode('p-old', 'x', now)).toBe('expired');
    expect(await claimCode('p-none', 'x', now)).toBe('no_pool');
  });
});
