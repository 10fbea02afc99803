import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inHoldout, pickVariant, unitHash } from '#shared/campaigns/holdout.ts';

const id = fc.string({ minLength: 1, maxLength: 40 });

describe('holdout assignment', () => {
  it('is stable per member: the same campaign and contact always land in the same arm', () => {
    fc.assert(
      fc.property(id, id, fc.double({ min: 0, max: 0.99, noNaN: true }), (campaignId, contactId, ratio) => {
        const first = inHoldout(campaignId, contactId, ratio);
        for (let i = 0; i < 3; i++) expect(inHoldout(campaignId, contactId, ratio)).toBe(first);
      }),
    );
  });

  it('is nested: a member held out at ratio r is held out at every larger ratio', () => {
    fc.assert(
      fc.property(id, id, fc.double({ min: 0, max: 0.99, noNaN: true }), fc.double({ min: 0, max: 0.99, noNaN: true }), (campaignId, contactId, a, b) => {
        const [lo, hi] = a < b ? [a, b] : [b, a];
        if (inHoldout(campaignId, contactId, lo)) expect(inHoldout(campaignId, contactId, hi)).toBe(true);
      }),
    );
  });

  it('holds out a share within statistical bounds of ANY ratio (5σ binomial bound, 4,000 members)', () => {
    const n = 4000;
    fc.assert(
      fc.property(fc.double({ min: 0, max: 0.99, noNaN: true }), fc.string({ minLength: 1, maxLength: 12 }), (ratio, campaignId) => {
        let held = 0;
        for (let i = 0; i < n; i++) if (inHoldout(`cmp_${campaignId}`, `con_${i}`, ratio)) held++;
        const sigma = Math.sqrt((ratio * (1 - ratio)) / n);
        expect(Math.abs(held / n - ratio)).toBeLessThanOrEqual(5 * sigma + 1 / n);
      }),
      { numRuns: 60 },
    );
  });

  it('handles extreme and odd ratios exactly at the edges: 0 holds out nobody', () => {
    for (let i = 0; i < 1000; i++) expect(inHoldout('c', `m${i}`, 0)).toBe(false);
    const share = Array.from({ length: 20000 }, (_, i) => inHoldout('c', `m${i}`, 1 / 3)).filter(Boolean).length / 20000;
    expect(Math.abs(share - 1 / 3)).toBeLessThan(0.015);
  });

  it('maps to a uniform number in [0, 1) that differs by campaign', () => {
    fc.assert(
      fc.property(id, id, (campaignId, contactId) => {
        const u = unitHash(campaignId, contactId);
        expect(u).toBeGreaterThanOrEqual(0);
        expect(u).toBeLessThan(1);
      }),
    );
    const a = Array.from({ length: 2000 }, (_, i) => inHoldout('camp-a', `m${i}`, 0.5));
    const b = Array.from({ length: 2000 }, (_, i) => inHoldout('camp-b', `m${i}`, 0.5));
    const agree = a.filter((x, i) => x === b[i]).length / 2000;
    expect(agree).toBeGreaterThan(0.45);
    expect(agree).toBeLessThan(0.55);
  });

  it('picks A/B variants in proportion to their weights, independently of the holdout draw', () => {
    const variants = [
      { variantId: 'a', weight: 1 },
      { variantId: 'b', weight: 3 },
    ];
    const counts = { a: 0, b: 0 };
    let heldA = 0;
    let heldB = 0;
    for (let i = 0; i < 20000; i++) {
      const v = pickVariant('cmp', `m${i}`, variants).variantId as 'a' | 'b';
      counts[v]++;
      if (inHoldout('cmp', `m${i}`, 0.2)) v === 'a' ? heldA++ : heldB++;
    }
    expect(counts.a / 20000).toBeGreaterThan(0.23);
    expect(counts.a / 20000).toBeLessThan(0.27);
    expect(heldA / counts.a).toBeGreaterThan(0.17);
    expect(heldA / counts.a).toBeLessThan(0.23);
    expect(heldB / counts.b).toBeGreaterThan(0.18);
    expect(heldB / counts.b).toBeLessThan(0.22);
  });
});
