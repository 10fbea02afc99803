import { describe, expect, it } from 'vitest';
import { addMember, compareArms, differenceOfProportions, EMPTY_ARM, revenueDifference, wilson } from '#shared/campaigns/uplift.ts';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('uplift with a 95% confidence interval', () => {
  it('matches Newcombe’s published example (method 10): 56/70 vs 48/80 → 0.0524 to 0.3339', () => {
    const i = differenceOfProportions(56, 70, 48, 80)!;
    expect(i.estimate).toBeCloseTo(0.2, 10);
    expect(i.low).toBeCloseTo(0.0524, 4);
    expect(i.high).toBeCloseTo(0.3339, 4);
    expect(wilson(0, 10).low).toBe(0);
    expect(wilson(10, 10).high).toBeCloseTo(1, 12);
  });

  it('stays inside ±100 pp and calls nothing significant when the holdout is tiny', () => {
    let t = EMPTY_ARM;
    for (let i = 0; i < 19; i++) t = addMember(t, i < 2 ? 1 : 0, 0);
    const c = addMember(EMPTY_ARM, 1, 50);
    const i = differenceOfProportions(t.converters, t.members, c.converters, c.members)!;
    expect(i.low).toBeGreaterThanOrEqual(-1);
    expect(i.high).toBeLessThanOrEqual(1);
    const report = compareArms(t, c);
    expect(report.uplift).toMatchObject({ tooSmall: true, significant: false });
  });

  it('is undefined when an arm is empty', () => {
    expect(differenceOfProportions(1, 10, 0, 0)).toBeUndefined();
    expect(compareArms(addMember(EMPTY_ARM, 1, 10), EMPTY_ARM).uplift).toBeNull();
  });

  it('covers the true uplift in about 95% of simulated experiments', () => {
    const random = rng(42);
    const [pt, pc, nt, nc] = [0.12, 0.08, 2000, 500];
    let covered = 0;
    const runs = 2000;
    for (let r = 0; r < runs; r++) {
      let ht = 0;
      let hc = 0;
      for (let i = 0; i < nt; i++) if (random() < pt) ht++;
      for (let i = 0; i < nc; i++) if (random() < pc) hc++;
      const ci = differenceOfProportions(ht, nt, hc, nc)!;
      if (ci.low <= pt - pc && pt - pc <= ci.high) covered++;
    }
    expect(covered / runs).toBeGreaterThan(0.93);
    expect(covered / runs).toBeLessThan(0.97);
  });

  it('compares revenue per member with a Welch interval and flags significance', () => {
    let t = EMPTY_ARM;
    let c = EMPTY_ARM;
    for (let i = 0; i < 100; i++) t = addMember(t, i % 2 === 0 ? 1 : 0, i % 2 === 0 ? 100 : 0);
    for (let i = 0; i < 100; i++) c = addMember(c, i % 10 === 0 ? 1 : 0, i % 10 === 0 ? 100 : 0);
    const r = revenueDifference(t, c)!;
    expect(r.estimate).toBeCloseTo(40, 6);
    const report = compareArms(t, c);
    expect(report.treated.recallRate).toBe(0.5);
    expect(report.holdout.recallRate).toBe(0.1);
    expect(report.uplift?.significant).toBe(true);
    expect(report.incremental?.conversions).toBeCloseTo(40, 1);
    expect(report.revenuePerMemberUplift?.ci95[0]).toBeGreaterThan(0);
  });
});
