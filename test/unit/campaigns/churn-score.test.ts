import { describe, expect, it } from 'vitest';
import { type Order, scoreChurn } from '#shared/ai/churn.ts';
import { churnChange, DEFAULT_CHURN_SETTINGS, levelOf, memberSample, referenceFrom, scoreContact } from '#shared/churn/score.ts';

function population(): Order[] {
  const orders: Order[] = [];
  for (let c = 0; c < 41; c++) {
    const n = 1 + (c % 5);
    for (let i = 0; i < n; i++)
      orders.push({
        customerId: `c${c}`,
        date: new Date(Date.UTC(2025, 0, 1 + c * 3 + i * (20 + c))).toISOString().slice(0, 10),
        amount: 20 + ((c * 37) % 90),
      });
  }
  return orders;
}

describe('per-contact churn score', () => {
  it('gives a contact the same risk as the shop-wide score when the reference holds the shop medians', () => {
    const orders = population();
    const asOf = '2025-12-31';
    const shop = scoreChurn(orders, asOf);
    const aovs = shop
      .map((s) => s.features.avgOrderValue)
      .filter((v) => v > 0)
      .sort((a, b) => a - b);
    const medianAov = aovs[Math.floor(aovs.length / 2)] as number;
    const reference = { medianAov, medianRatePerDay: 0.01, members: shop.length, computedAt: asOf };
    for (const s of shop) {
      const own = orders.filter((o) => o.customerId === s.customerId).map((o) => ({ placedAt: o.date, amount: o.amount }));
      const one = scoreContact(s.customerId, own, new Date(`${asOf}T12:00:00Z`), {}, DEFAULT_CHURN_SETTINGS, reference)!;
      expect(one.risk).toBeCloseTo(s.risk, 3);
    }
  });

  it('adds service pain to the risk and explains it in zh and en', () => {
    const own = [
      { placedAt: '2025-11-01', amount: 50 },
      { placedAt: '2025-12-01', amount: 50 },
    ];
    const calm = scoreContact('x', own, new Date('2025-12-20T00:00:00Z'), {}, DEFAULT_CHURN_SETTINGS)!;
    const pained = scoreContact('x', own, new Date('2025-12-20T00:00:00Z'), { slaBreaches: 2, openComplaints: 1 }, DEFAULT_CHURN_SETTINGS)!;
    expect(pained.risk).toBeGreaterThan(calm.risk);
    const codes = pained.reasons.map((r) => r.code);
    expect(codes).toContain('open_complaints');
    for (const r of pained.reasons) expect(r.zh).toMatch(/[\u4e00-\u9fff]/);
  });

  it('has no score without counted orders', () => {
    expect(scoreContact('x', [], new Date(), {}, DEFAULT_CHURN_SETTINGS)).toBeUndefined();
  });

  it('maps risk to levels with the marketing thresholds', () => {
    expect(levelOf(0.2, { mediumAt: 0.4, highAt: 0.7 })).toBe('low');
    expect(levelOf(0.4, { mediumAt: 0.4, highAt: 0.7 })).toBe('medium');
    expect(levelOf(0.71, { mediumAt: 0.4, highAt: 0.7 })).toBe('high');
  });

  it('detects a crossing into high risk and skips writes when nothing moved', () => {
    const next = {
      risk: 0.8,
      level: 'high' as const,
      reasons: [{ code: 'single_purchase', en: '', zh: '' }],
      features: { purchases: 1, daysSinceLast: 200, daysSinceFirst: 200, avgOrderValue: 10 },
    };
    expect(churnChange({ level: 'medium', risk: 0.6, reasonCodes: ['single_purchase'] }, next)).toEqual({ changed: true, crossedIntoHigh: true });
    expect(churnChange({ level: 'high', risk: 0.8, reasonCodes: ['single_purchase'] }, next)).toEqual({ changed: false, crossedIntoHigh: false });
    expect(churnChange({ level: 'high', risk: 0.8 }, undefined)).toEqual({ changed: true, crossedIntoHigh: false });
  });

  it('builds the shop reference from member samples', () => {
    const asOf = new Date('2026-01-01T00:00:00Z');
    const samples = [
      memberSample(1, 30, '2025-12-01T00:00:00Z', asOf),
      memberSample(3, 300, '2025-01-01T00:00:00Z', asOf),
      memberSample(5, 100, '2024-01-01T00:00:00Z', asOf),
    ].filter((s) => s !== undefined);
    const ref = referenceFrom(samples, 3, asOf);
    expect(ref.medianAov).toBe(30);
    expect(ref.medianRatePerDay).toBeCloseTo(2 / 365, 4);
    expect(memberSample(0, 0, undefined, asOf)).toBeUndefined();
  });
});
